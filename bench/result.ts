/**
 * One machine-readable line per figure, beside each bench's human table:
 *
 *   RESULT <name> <value> <unit> <reference> goal <op> <number>
 *
 * e.g. `RESULT unlock.online 1.12 x pbkdf2 goal <= 1.2`. Names are stable: scripts and notes compare
 * runs by them. `reference` is what the value is measured against in the same run ('-' for none).
 */
export type GoalOp = '<=' | '<' | '>=' | '>' | '==';

export function result(name: string, value: number, unit: string, reference: string, op: GoalOp, goal: number): void {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) throw new Error(`bad RESULT name ${name}`);
  const shown = Number.isFinite(value) ? Number(value.toPrecision(4)).toString() : 'NaN';
  console.log(`RESULT ${name} ${shown} ${unit.replace(/\s/g, '_')} ${reference.replace(/\s/g, '_') || '-'} goal ${op} ${goal}`);
}
