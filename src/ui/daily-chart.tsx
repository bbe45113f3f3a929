// The statistics page's chart: images checked, covered and couldn't check per day, as bars drawn one
// over another (checked widest, then covered, then couldn't check), by uPlot. Colours come from the
// page's CSS (--chart-*), so they follow the light or dark scheme. The same numbers are in the table
// below it for screen readers and for exact values.
import { i18n } from '#i18n';
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { StatsDay } from '../stats/daily-stats';

const HEIGHT = 220;

/** "12/5" in the user's language (the messages name it, as time-text.ts reads it), from YYYY-MM-DD. */
export function shortDate(day: string): string {
  const lang = i18n.t('common.lang') || undefined;
  const [y, m, d] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(lang, { month: 'numeric', day: 'numeric' }).format(new Date(y ?? 0, (m ?? 1) - 1, d ?? 1));
}

/** The chart's columns: day index, then checked, covered and couldn't check per day. */
const columns = (days: readonly StatsDay[]): uPlot.AlignedData => [
  days.map((_, i) => i),
  days.map((d) => d.counts.checked),
  days.map((d) => d.counts.covered),
  days.map((d) => d.counts.failed),
];

export function DailyChart({ days }: { days: readonly StatsDay[] }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The labels read the days drawn now; new counts only swap the data (about once a second while browsing).
  const shown = useRef(days);
  shown.current = days;
  // The colours are the scheme's: the chart is drawn again when the system switches light and dark.
  const [scheme, setScheme] = useState(0);
  useEffect(() => {
    const dark = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
    const redraw = () => setScheme((n) => n + 1);
    dark?.addEventListener('change', redraw);
    return () => dark?.removeEventListener('change', redraw);
  }, []);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const css = getComputedStyle(el);
    const color = (name: string) => css.getPropertyValue(name).trim();
    const dayAt = (i: number | null | undefined) => {
      const day = i === null || i === undefined ? undefined : shown.current[i];
      return day ? shortDate(day.day) : '';
    };
    const bars = (factor: number, fill: string, label: string): uPlot.Series => ({
      label,
      fill,
      stroke: fill,
      width: 0,
      points: { show: false },
      paths: uPlot.paths.bars?.({ size: [factor, 24], align: 0 }),
    });
    const axis = { stroke: color('--fg'), ticks: { stroke: color('--line') }, grid: { stroke: color('--line'), width: 1 } };
    const chart = new uPlot(
      {
        width: el.clientWidth || 600,
        height: HEIGHT,
        scales: {
          x: { time: false, range: (u) => [-0.5, (u.data[0]?.length ?? 1) - 0.5] },
          // Counts: from zero, and never a scale of fractions of an image.
          y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] },
        },
        axes: [
          {
            ...axis,
            grid: { show: false },
            incrs: [1, 2, 5, 7, 14],
            values: (_u, splits) => splits.map((i) => (Number.isInteger(i) ? dayAt(i) : '')),
          },
          { ...axis, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000], values: (_u, splits) => splits.map(String) },
        ],
        series: [
          { label: i18n.t('stats.day'), value: (_u, i) => dayAt(i) },
          bars(0.8, color('--chart-checked'), i18n.t('stats.checked')),
          bars(0.5, color('--chart-covered'), i18n.t('stats.covered')),
          bars(0.25, color('--chart-failed'), i18n.t('stats.failed')),
        ],
        cursor: { drag: { x: false, y: false }, points: { show: false } },
        // A key to the colours; the exact numbers are in the table below.
        legend: { live: false },
      },
      columns(shown.current),
      el,
    );
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: el.clientWidth, height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [scheme]);

  useEffect(() => {
    plot.current?.setData(columns(days));
  }, [days]);

  return <div ref={box} class="daily-chart" data-testid="daily-chart" role="img" aria-label={i18n.t('stats.chartLabel')} />;
}
