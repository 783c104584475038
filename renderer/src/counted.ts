/** "1 document", "2 documents": a count with its noun in the right number, for every sentence that counts. */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
