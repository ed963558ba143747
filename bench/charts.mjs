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

/**
 * A line chart: `series` [{ label, colour, dashed, points: [{ x, y, ok }] }] on a linear x axis and a y
 * axis from 0 to `yMax`; a point is filled when `ok`, hollow otherwise (e.g. within capacity or not).
 */
export function lineChart({ title, xLabel, yLabel, series, yMax, note = '' }) {
  const width = 800;
  const height = 360;
  const left = 56;
  const right = 280;
  const top = 40;
  const bottom = 48;
  const xs = series.flatMap((line) => line.points.map((point) => point.x));
  const xMax = Math.max(...xs, 1);
  const x = (value) => left + ((width - left - right) * value) / xMax;
  const y = (value) => height - bottom - ((height - top - bottom) * Math.min(value, yMax)) / yMax;
  const ticks = (max, count) => Array.from({ length: count + 1 }, (_, index) => (max * index) / count);
  const axes = [
    `<line x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}" stroke="#475569"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" stroke="#475569"/>`,
    ...ticks(xMax, 6).map((tick) => `<text x="${x(tick).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle">${Math.round(tick)}</text>`),
    ...ticks(yMax, 4).map((tick) => `<text x="${left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${Number(tick.toFixed(1))}</text><line x1="${left}" y1="${y(tick).toFixed(1)}" x2="${width - right}" y2="${y(tick).toFixed(1)}" stroke="#e2e8f0"/>`),
    `<text x="${(left + width - right) / 2}" y="${height - 12}" text-anchor="middle">${escape(xLabel)}</text>`,
    `<text x="14" y="${(top + height - bottom) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(top + height - bottom) / 2})">${escape(yLabel)}</text>`,
  ];
  const lines = series.map((line, index) => {
    const path = line.points.map((point, at) => `${at === 0 ? 'M' : 'L'}${x(point.x).toFixed(1)},${y(point.y).toFixed(1)}`).join(' ');
    const dots = line.points.map((point) => `<circle cx="${x(point.x).toFixed(1)}" cy="${y(point.y).toFixed(1)}" r="4" fill="${point.ok ? line.colour : '#ffffff'}" stroke="${line.colour}" stroke-width="2"/>`).join('');
    const legendY = top + 10 + index * 22;
    return `<path d="${path}" fill="none" stroke="${line.colour}" stroke-width="2"${line.dashed ? ' stroke-dasharray="6 4"' : ''}/>${dots}` +
      `<line x1="${width - right + 12}" y1="${legendY}" x2="${width - right + 36}" y2="${legendY}" stroke="${line.colour}" stroke-width="2"${line.dashed ? ' stroke-dasharray="6 4"' : ''}/>` +
      `<text x="${width - right + 42}" y="${legendY + 4}">${escape(line.label)}</text>`;
  });
  const noteY = top + 10 + series.length * 22 + 8;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">
  <rect width="100%" height="100%" fill="#ffffff"/>
  <text x="12" y="24" font-size="15" font-weight="600">${escape(title)}</text>
  ${axes.join('\n  ')}
  ${lines.join('\n  ')}
  ${note.split('\n').map((text, index) => `<text x="${width - right + 12}" y="${noteY + index * 16}" fill="#475569">${escape(text)}</text>`).join('')}
</svg>
`;
}
