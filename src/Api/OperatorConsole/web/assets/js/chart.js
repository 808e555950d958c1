import { format } from './dom.js';

// On hand over time, drawn by Chart.js (loaded by the page as the global Chart). One chart per view: a new
// one replaces the last, whose canvas would otherwise keep its listeners.
let current = null;

const minute = 60_000;
const day = 24 * 60 * minute;
const tickFormats = [
  [10 * minute, new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })],
  [day, new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })],
  [Infinity, new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })],
];

/** Tick labels as fine as the span needs: seconds for a few minutes of changes, dates for weeks of them. */
function tickFormat(points) {
  const span = points.length > 1 ? points[points.length - 1].x - points[0].x : 0;
  return tickFormats.find(([upTo]) => span <= upTo)[1];
}

/** entries: ledger rows newest first; item: the SKU now (the line ends at its current on hand). */
export function onHandChart(container, item, entries) {
  current?.destroy();
  const points = entries.slice().reverse().map((entry) => ({ x: Date.parse(entry.at), y: entry.onHandAfter }));
  const summary = points.length === 0
    ? 'No changes yet.'
    : `On hand over the last ${points.length} changes: from ${format.number(points[0].y)} to ${format.number(item.onHand)}.`;
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', summary);
  canvas.textContent = summary;
  container.replaceChildren(canvas);
  const ticks = tickFormat(points);
  current = new Chart(canvas, {
    type: 'line',
    data: { datasets: [{ label: 'On hand', data: points, stepped: 'after', borderColor: '#1d4ed8', backgroundColor: '#1d4ed8', pointRadius: 2 }] },
    options: {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      scales: {
        x: { type: 'linear', ticks: { maxTicksLimit: 6, callback: (value) => ticks.format(new Date(value)) } },
        y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'On hand' } },
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { title: (items) => format.time(new Date(items[0].parsed.x).toISOString()) } },
      },
    },
  });
}
