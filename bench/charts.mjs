// Horizontal bar charts as standalone SVG files (no dependencies).
const escape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** `bars`: [{ label, value }]; the first bar (genlook-rx) is drawn in the accent colour. */
export function barChart({ title, unit, bars, format = (value) => value.toFixed(1) }) {
  const width = 640;
  const rowHeight = 28;
  const labelWidth = 170;
  const top = 40;
  const max = Math.max(...bars.map((bar) => bar.value ?? 0), 1e-9);
  const rows = bars
    .map((bar, index) => {
      const y = top + index * rowHeight;
      const length = bar.value === null || bar.value === undefined ? 0 : Math.max(1, ((width - labelWidth - 90) * bar.value) / max);
      const shown = bar.value === null || bar.value === undefined ? 'n/a' : `${format(bar.value)} ${unit}`;
      return `<text x="${labelWidth - 8}" y="${y + 18}" text-anchor="end">${escape(bar.label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 4}" width="${length.toFixed(1)}" height="${rowHeight - 10}" fill="${index === 0 ? '#2563eb' : '#94a3b8'}"/>` +
        `<text x="${labelWidth + length + 6}" y="${y + 18}">${escape(shown)}</text>`;
    })
    .join('\n  ');
  const height = top + bars.length * rowHeight + 12;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="13">
  <rect width="100%" height="100%" fill="#ffffff"/>
  <text x="12" y="24" font-size="15" font-weight="600">${escape(title)}</text>
  ${rows}
</svg>
`;
}
