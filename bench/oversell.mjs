// The oversell block of the benchmark: N concurrent buyers on M < N units. Filled in by the
// checkout module; until checkout exists there is nothing to race, and the block is null.
export async function runOversell() {
  return null;
}
