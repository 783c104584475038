/** History entries for the history store tests: entry n is a pure function of n (the crash test checks exact content). */
import type { HistoryEntry } from '../../../electron/common/authorization/form-view';

export const SERVICE_MARK = 'Zorblex Exchange';

export function entryFor(n: number): HistoryEntry {
  return {
    at: new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString(),
    botId: String(543260180 + n),
    service: `${SERVICE_MARK} ${n}`,
    username: n % 3 === 0 ? null : `zorblex_${n}_bot`,
    outcome: n % 5 === 0 ? 'declined' : n % 7 === 0 ? 'failed' : 'shared',
    types: n % 2 === 0 ? ['passport', 'utility_bill'] : ['personal_details', 'phone_number', 'email'],
    errorCode: n % 7 === 0 ? 'BOT_INVALID' : null,
  };
}

export const entries = (from: number, to: number): HistoryEntry[] => Array.from({ length: to - from + 1 }, (_, i) => entryFor(from + i));
