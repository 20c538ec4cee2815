// uPlot wrapper shared by the live charts and the ticket evidence: time axis in the site's zone, markers and threshold lines.
import { t, fmtTime, fmtDateTime, fmtNumber, getTimeZone } from './i18n.js';

const uPlot = globalThis.uPlot; // loaded as a classic script (/vendor/uplot/uPlot.iife.min.js) before the modules run

export const PALETTE = ['#1565c0', '#00897b', '#8e24aa', '#6d4c41', '#c2185b', '#546e7a'];
export const SEV_COLOR = { CRITICAL: '#c62828', MAJOR: '#e65100', MINOR: '#b08900', WARNING: '#1565c0' };

/**
 * Draws vertical markers ({ts, label, color}) and horizontal lines ({value, label, color}) over the plot.
 * A plugin rather than extra series so they never change the y range the data chose (except thresholds we ask for).
 */
function overlayPlugin(getMarkers, getLines) {
  return {
    hooks: {
      draw: [
        (u) => {
          const { ctx } = u;
          const { left, top, width, height } = u.bbox;
          const dpr = devicePixelRatio || 1;
          ctx.save();
          ctx.beginPath();
          ctx.rect(left, top, width, height);
          ctx.clip();
          ctx.font = `${11 * dpr}px system-ui, "Noto Sans CJK SC", sans-serif`;
          // uPlot leaves its axis text settings on the shared context: reset them or labels end up right-aligned off-plot.
          ctx.textAlign = 'left';
          ctx.textBaseline = 'alphabetic';
          ctx.lineWidth = 1.5 * dpr;
          for (const l of getLines()) {
            const y = u.valToPos(l.value, 'y', true);
            if (!Number.isFinite(y)) continue;
            ctx.strokeStyle = l.color;
            ctx.setLineDash([6 * dpr, 4 * dpr]);
            ctx.beginPath();
            ctx.moveTo(left, y);
            ctx.lineTo(left + width, y);
            ctx.stroke();
            if (l.label) {
              ctx.fillStyle = l.color;
              // Above the line, unless that would leave the plot: then below it.
              const ly = y - 4 * dpr - 11 * dpr < top ? y + 13 * dpr : y - 4 * dpr;
              ctx.fillText(l.label, left + 4 * dpr, ly);
            }
          }
          for (const m of getMarkers()) {
            const x = u.valToPos(m.ts, 'x', true);
            if (!Number.isFinite(x) || x < left || x > left + width) continue;
            ctx.strokeStyle = m.color;
            ctx.setLineDash([]);
            ctx.lineWidth = 2 * dpr;
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
            if (m.label) {
              ctx.fillStyle = m.color;
              const w = ctx.measureText(m.label).width;
              // Label on the side with room, so it stays readable when the marker sits near the right edge.
              const lx = x + 4 * dpr + w > left + width ? x - 4 * dpr - w : x + 4 * dpr;
              ctx.fillText(m.label, lx, top + 12 * dpr);
            }
          }
          ctx.restore();
        },
      ],
    },
  };
}

/**
 * @param {HTMLElement} target
 * @param {{series: {label: string, unit?: string, color?: string, width?: number, spanGaps?: boolean, dash?: number[], points?: boolean}[], data: any[], width: number, height: number,
 *          xRange?: () => [number, number], markers?: () => any[], lines?: () => any[]}} o
 */
export function makeChart(target, o) {
  const tz = getTimeZone();
  const markers = o.markers ?? (() => []);
  const lines = o.lines ?? (() => []);
  const opts = {
    width: o.width,
    height: o.height,
    ms: 1, // the API speaks epoch milliseconds
    tzDate: tz ? (ts) => uPlot.tzDate(new Date(ts), tz) : undefined,
    cursor: { drag: { x: true, y: false } },
    legend: { live: true },
    scales: {
      x: { time: true, range: o.xRange ? () => o.xRange() : undefined },
      y: {
        // Keep threshold lines in view, so the operator sees how far the value is from the limit.
        range: (u, min, max) => {
          const vals = lines().map((l) => l.value);
          let lo = Math.min(min ?? Infinity, ...vals);
          let hi = Math.max(max ?? -Infinity, ...vals);
          if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
          if (lo === hi) {
            lo -= 1;
            hi += 1;
          }
          const pad = (hi - lo) * 0.08;
          return [lo - pad, hi + pad];
        },
      },
    },
    axes: [
      {
        stroke: '#444',
        grid: { stroke: '#e6e8eb' },
        ticks: { stroke: '#c9cdd2' },
        values: (u, splits) => splits.map((v) => fmtTime(v).replace(/:00$/, '')),
      },
      {
        stroke: '#444',
        grid: { stroke: '#e6e8eb' },
        ticks: { stroke: '#c9cdd2' },
        size: 56,
        values: (u, splits) => splits.map((v) => fmtNumber(v)),
      },
    ],
    series: [
      { label: t('chart.time'), value: (u, v) => (v == null ? '' : fmtDateTime(v)) },
      ...o.series.map((s, i) => ({
        label: s.unit ? `${s.label} (${s.unit})` : s.label,
        stroke: s.color ?? PALETTE[i % PALETTE.length],
        width: s.width ?? 1.5,
        // Series on a shared time axis with different timestamps (a forecast's samples and its trend) span their gaps.
        spanGaps: s.spanGaps ?? false,
        dash: s.dash,
        points: s.points ? { show: true, size: 4, width: 1, fill: s.color } : { show: false },
        value: (u, v) => (v == null ? '' : fmtNumber(v)),
      })),
    ],
    plugins: [overlayPlugin(markers, lines)],
  };
  return new uPlot(opts, o.data, target);
}
