/**
 * Per-channel answer mode for Slack. `shared` (default): answers are posted in the channel and use only what every
 * member may read. `private`: answers go ephemerally to the asker and use the asker's own access. Channels listed in
 * SLACK_PRIVATE_CHANNELS start private; `/sop private on|off` changes a channel at run time and is kept in the database
 * across restarts. The implementation is shared with Teams (bot/shared/channel-settings.ts); re-exported here so
 * existing imports keep working.
 */
export { createChannelSettings, type ChannelSettings } from '../shared/channel-settings.js';
