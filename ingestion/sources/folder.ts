/**
 * The folder source: every file under a directory that may be a document (see NON_DOCUMENT_EXTENSIONS), in a
 * stable order. The id and citation path are the
 * folder-relative POSIX path; the version is the sha256 of the bytes; the ACL comes from `access.yml`.
 * Hidden files and folders, and data files (YAML, JSON) such as the access file itself, are not documents.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { AccessPolicy } from '../access.js';
import type { IngestDocument } from '../pipeline-types.js';
import type { Source } from '../types.js';

/**
 * Files that live beside SOPs but are data, not documents: the access file, manifests, settings. Everything else is
 * offered to the parsers, which recognise the type from the bytes and report what they cannot read (`unknown-type`),
 * so a stray image or binary is named in the summary rather than silently ignored.
 */
export const NON_DOCUMENT_EXTENSIONS: ReadonlySet<string> = new Set(['yml', 'yaml', 'json', 'lock', 'env']);

export interface FolderSourceOptions {
  root: string;
  /** No policy = every document gets an empty ACL (readable by no one). */
  access: AccessPolicy | null;
  maxBytes: number;
  /** Stored on each document; one folder tree per source name. */
  name?: string;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function isDocumentFile(name: string): boolean {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return true;
  return !NON_DOCUMENT_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

/** Folder-relative POSIX paths of the candidate document files under `root`, sorted. */
export async function listDocumentFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const rel = relative(root, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (rel.split('/').some((part) => part.startsWith('.') || part === 'node_modules')) continue;
    if (isDocumentFile(entry.name)) files.push(rel);
  }
  return files.sort();
}

export class FolderSource implements Source {
  readonly name: string;

  constructor(private readonly options: FolderSourceOptions) {
    this.name = options.name ?? 'folder';
  }

  async *documents(): AsyncIterable<IngestDocument> {
    const { root, access, maxBytes } = this.options;
    for (const rel of await listDocumentFiles(root)) {
      const acl = access ? access.aclFor(rel) : [];
      const base = { externalId: rel, path: rel, acl };
      const full = join(root, rel);
      let bytes: Uint8Array;
      try {
        const info = await stat(full);
        if (info.size > maxBytes) {
          yield {
            ...base,
            version: `size:${info.size}:mtime:${info.mtimeMs}`,
            problem: {
              reason: 'oversized',
              message: `${rel}: ${(info.size / 1048576).toFixed(1)} MB is over the ${(maxBytes / 1048576).toFixed(1)} MB limit (raise MAX_FILE_MB to index it)`,
            },
          };
          continue;
        }
        bytes = await readFile(full);
      } catch (error) {
        yield {
          ...base,
          version: 'unreadable',
          problem: {
            reason: 'unreadable',
            message: `${rel}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
          },
        };
        continue;
      }
      yield { ...base, bytes, version: sha256(bytes) };
    }
  }
}
