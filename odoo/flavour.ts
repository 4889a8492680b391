/**
 * Which Odoo we are talking to, found once per client with fields_get (not from the version number: apps differ
 * between Enterprise and Community, and the version alone does not say which Helpdesk is installed).
 */
import { OdooAccessError, OdooNotFoundError } from './errors.js';
import type { OdooClient } from './client.js';

export interface OdooFlavour {
  /** `17`: folders are `documents.folder` with group access; `18+`: folders are documents with `access_*` fields. */
  documents: '17' | '18+' | null;
  /** The res.users field holding a user's groups (17/18 `groups_id`, 19 `group_ids`). */
  userGroupsField: 'groups_id' | 'group_ids';
  /** Searchable transitive closure of groups (19 `all_group_ids`; 17/18 `groups_id` already holds implied groups). */
  allGroupsField: 'groups_id' | 'all_group_ids';
  /** Enterprise `helpdesk` or OCA `helpdesk_mgmt`. */
  helpdesk: 'enterprise' | 'oca' | null;
}

const cache = new WeakMap<OdooClient, Promise<OdooFlavour>>();

async function fieldsOrNull(client: OdooClient, model: string) {
  try {
    return await client.fieldsGet(model, ['type', 'relation', 'selection']);
  } catch (err) {
    if (err instanceof OdooNotFoundError || err instanceof OdooAccessError) return null;
    throw err;
  }
}

export function detectFlavour(client: OdooClient): Promise<OdooFlavour> {
  let found = cache.get(client);
  if (!found) {
    found = (async (): Promise<OdooFlavour> => {
      const [docs, users, tickets] = await Promise.all([
        fieldsOrNull(client, 'documents.document'),
        client.fieldsGet('res.users', ['type', 'relation', 'selection']),
        fieldsOrNull(client, 'helpdesk.ticket'),
      ]);
      const folderRelation = docs?.['folder_id']?.relation;
      return {
        documents: !docs ? null : folderRelation === 'documents.folder' ? '17' : '18+',
        userGroupsField: users['group_ids'] ? 'group_ids' : 'groups_id',
        allGroupsField: users['all_group_ids'] ? 'all_group_ids' : 'groups_id',
        helpdesk: !tickets
          ? null
          : tickets['stage_id']?.relation === 'helpdesk.ticket.stage' || tickets['number']
            ? 'oca'
            : 'enterprise',
      };
    })();
    found.catch(() => cache.delete(client));
    cache.set(client, found);
  }
  return found;
}
