import type { TlObject } from '../tl/codec';
import { type MethodTable, type ServerInfo, requireUser } from './types';

export function configObject(s: ServerInfo): TlObject {
  const now = Math.floor(Date.now() / 1000);
  return {
    _: 'config',
    date: now,
    expires: now + 3600,
    test_mode: false,
    this_dc: s.dcId,
    // Every DC of the cluster (one unless started with `extraDcs`). No media-only or CDN entries: clients
    // that look for a media DC fall back to the main one.
    dc_options: s.dcs.map((d) => ({ _: 'dcOption', id: d.id, ip_address: d.host, port: d.port })),
    dc_txt_domain_name: '',
    chat_size_max: 200,
    megagroup_size_max: 200000,
    forwarded_count_max: 100,
    online_update_period_ms: 210000,
    offline_blur_timeout_ms: 5000,
    offline_idle_timeout_ms: 30000,
    online_cloud_timeout_ms: 300000,
    notify_cloud_delay_ms: 30000,
    notify_default_delay_ms: 1500,
    push_chat_period_ms: 60000,
    push_chat_limit: 2,
    edit_time_limit: 172800,
    revoke_time_limit: 2147483647,
    revoke_pm_time_limit: 2147483647,
    rating_e_decay: 2419200,
    stickers_recent_limit: 200,
    channels_read_media_period: 604800,
    call_receive_timeout_ms: 20000,
    call_ring_timeout_ms: 90000,
    call_connect_timeout_ms: 30000,
    call_packet_timeout_ms: 10000,
    me_url_prefix: 'https://t.me/',
    caption_length_max: 1024,
    message_length_max: 4096,
    webfile_dc_id: s.dcId,
  };
}

export const helpMethods: MethodTable = {
  'help.getConfig': (ctx) => configObject(ctx.server),
  'help.getNearestDc': (ctx) => ({ _: 'nearestDc', country: 'ZZ', this_dc: ctx.server.dcId, nearest_dc: ctx.server.dcId }),
};

export const updatesMethods: MethodTable = {
  'updates.getState': (ctx) => {
    requireUser(ctx);
    return { _: 'updates.state', pts: 1, qts: 0, date: Math.floor(Date.now() / 1000), seq: 0, unread_count: 0 };
  },
  'updates.getDifference': (ctx) => (requireUser(ctx), { _: 'updates.differenceEmpty', date: Math.floor(Date.now() / 1000), seq: 0 }),
};
