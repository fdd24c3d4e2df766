// Where each node of the engine's autograd graph sits in the drawing: one column per depth,
// left → right as the forward pass runs, the loss alone in the last column. Pure (no DOM), so
// the layout is unit-tested; the drawing itself is autograd-graph.js.

// result: the engine's `autograd` reply ({nodes, edges, forward, backward, root}).
// → {columns: [[id, …], …] top to bottom, at: Map id → {col, row, y}, rows: the tallest
// column}; y is the row centred against the tallest column (in rows, may be a half).
export function graphLayout(result) {
  const nodes = result?.nodes || [];
  if (!nodes.length) return { columns: [], at: new Map(), rows: 0 };
  const consumers = new Map(nodes.map((n) => [n.id, []]));
  for (const e of result.edges || []) consumers.get(e.from)?.push(e.to);
  // Distance to the loss along the longest path: the engine's backward order visits every
  // node after all the nodes it feeds, so one pass suffices. A leaf sits just before the
  // first operation that reads it (as late as possible), which keeps the columns short.
  const order = result.backward?.length ? result.backward : [...(result.forward || nodes.map((n) => n.id))].reverse();
  const rank = new Map();
  for (const id of order) {
    const next = consumers.get(id) || [];
    rank.set(id, next.length ? Math.max(...next.map((c) => (rank.get(c) ?? 0) + 1)) : 0);
  }
  const depth = Math.max(...rank.values());
  const columns = Array.from({ length: depth + 1 }, () => []);
  const forwardIndex = new Map((result.forward || []).map((id, k) => [id, k]));
  for (const id of order) columns[depth - rank.get(id)].push(id);
  const rows = Math.max(...columns.map((c) => c.length));
  const at = new Map();
  // Right to left, each column ordered by where the nodes it feeds sit (fewer crossings).
  for (let col = depth; col >= 0; col--) {
    const mean = (id) => {
      const ys = (consumers.get(id) || []).map((c) => at.get(c)?.y).filter((y) => y !== undefined);
      return ys.length ? ys.reduce((s, y) => s + y, 0) / ys.length : 0;
    };
    columns[col].sort((a, b) => mean(a) - mean(b) || (forwardIndex.get(a) ?? 0) - (forwardIndex.get(b) ?? 0));
    const offset = (rows - columns[col].length) / 2;
    columns[col].forEach((id, row) => at.set(id, { col, row, y: row + offset }));
  }
  return { columns, at, rows };
}
