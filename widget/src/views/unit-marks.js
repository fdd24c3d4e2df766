// Dead ReLU and saturated neurons marked on the network diagram while the gradient-flow panel
// is open: a dashed frame for a dead unit, a solid one for a saturated unit (theme colours).

export function drawUnitMarks(ctx, nodes, marks, colors) {
  if (!marks || !marks.length) return;
  ctx.save();
  ctx.strokeStyle = colors.val;
  ctx.lineWidth = 2.5;
  for (const m of marks) {
    const n = nodes.find((node) => node.layer === m.layer && node.j === m.j);
    if (!n) continue;
    ctx.setLineDash(m.kind === "dead" ? [4, 3] : []);
    ctx.strokeRect(n.x - n.size / 2 - 5, n.y - n.size / 2 - 5, n.size + 10, n.size + 10);
  }
  ctx.restore();
}
