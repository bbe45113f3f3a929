// The options page's Statistics tab: the last 30 days' counts (checked, covered, couldn't check),
// drawn per day, what covered them, the same numbers as a table, and "Clear statistics". Counts only:
// the background never stores an address or a site (daily-stats.ts).
import { i18n } from '#i18n';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { series, totals, type CoverRule, type StatsDay } from '../stats/daily-stats';
import { tagLabel, type CustomTag } from '../tags/vocabulary';
import { errorText } from '../util/checks';
import { clearStatistics } from './clear-stats';
import { InlineConfirm } from './inline-confirm';
import { DailyChart, shortDate } from './daily-chart';
import { useDailyStats } from './use-daily-stats';

function ruleLabel(rule: CoverRule, customTags: readonly CustomTag[]): string {
  if (rule === 'you') return i18n.t('stats.rules.you');
  if (rule === 'unchecked') return i18n.t('stats.rules.unchecked');
  return tagLabel(rule, customTags);
}

export function StatsPanel({ customTags }: { customTags: readonly CustomTag[] }) {
  const { stats, error } = useDailyStats();
  const today = useToday();
  const view = useMemo(() => {
    if (stats === null) return null;
    const days = series(stats, today);
    return { days, ...totals(days) };
  }, [stats, today]);

  return (
    <section class="card stats-panel" aria-labelledby="stats-heading" data-testid="stats-panel">
      <h2 id="stats-heading">{i18n.t('stats.heading')}</h2>
      <p class="hint">{i18n.t('stats.privacy')}</p>
      {error && (
        <p class="error" role="alert">
          {i18n.t('stats.couldNotRead', [error])}
        </p>
      )}
      {view === null ? (
        !error && <p class="hint">{i18n.t('options.loading')}</p>
      ) : (
        <>
          <dl class="stats-totals">
            <Total id="total-checked" label={i18n.t('stats.checked')} value={view.sum.checked} />
            <Total id="total-covered" label={i18n.t('stats.covered')} value={view.sum.covered} />
            <Total id="total-failed" label={i18n.t('stats.failed')} value={view.sum.failed} />
          </dl>
          {view.sum.checked + view.sum.failed === 0 && <p class="hint">{i18n.t('stats.empty')}</p>}

          <h3>{i18n.t('stats.dailyHeading')}</h3>
          <DailyChart days={view.days} />
          <DayTable days={view.days} />

          <h3>{i18n.t('stats.rulesHeading')}</h3>
          {view.rules.length === 0 ? (
            <p class="hint">{i18n.t('stats.noRules')}</p>
          ) : (
            <ul class="rule-bars" data-testid="rule-bars">
              {view.rules.map(([rule, count]) => (
                <li key={rule} data-rule={rule}>
                  <span class="rule-name">{ruleLabel(rule, customTags)}</span>
                  <span class="rule-bar" aria-hidden="true">
                    <span style={{ width: `${(100 * count) / (view.rules[0]?.[1] ?? count)}%` }} />
                  </span>
                  <span class="rule-count">{count}</span>
                </li>
              ))}
            </ul>
          )}
          <ClearStats />
        </>
      )}
    </section>
  );
}

function Total({ id, label, value }: { id: string; label: string; value: number }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd id={id} data-testid={id}>
        {value}
      </dd>
    </div>
  );
}

/** Every day's numbers, for exact values and for screen readers (the chart is a picture of them). */
function DayTable({ days }: { days: readonly StatsDay[] }) {
  return (
    <details class="day-table">
      <summary>{i18n.t('stats.showTable')}</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">{i18n.t('stats.day')}</th>
            <th scope="col">{i18n.t('stats.checked')}</th>
            <th scope="col">{i18n.t('stats.covered')}</th>
            <th scope="col">{i18n.t('stats.failed')}</th>
          </tr>
        </thead>
        <tbody>
          {[...days].reverse().map(({ day, counts }) => (
            <tr key={day} data-day={day}>
              <th scope="row">{shortDate(day)}</th>
              <td>{counts.checked}</td>
              <td>{counts.covered}</td>
              <td>{counts.failed}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** "Clear statistics", asked once more in place; the background clears (its writes and the clear share one queue). */
function ClearStats() {
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const clear = async () => {
    try {
      await clearStatistics();
      setOutcome({ ok: true, text: i18n.t('stats.cleared') });
    } catch (e) {
      setOutcome({ ok: false, text: i18n.t('stats.couldNotClear', [errorText(e)]) });
    }
  };
  return (
    <div class="clear-stats">
      <InlineConfirm
        id="clear-stats"
        label={i18n.t('stats.clear')}
        question={i18n.t('stats.clearConfirm')}
        confirmLabel={i18n.t('stats.clear')}
        groupLabel={i18n.t('stats.clear')}
        onConfirm={() => void clear()}
      />
      {/* There from the start, so a screen reader announces the text when it comes. */}
      <p class={outcome?.ok === false ? 'error' : 'hint'} role="status" data-testid="clear-stats-outcome">
        {outcome?.text ?? ''}
      </p>
    </div>
  );
}

/** Today, moving on at midnight while the page stays open (the chart's last bar is always today). */
function useToday(): Date {
  const [today, setToday] = useState(() => new Date());
  useEffect(() => {
    const next = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1);
    const timer = setTimeout(() => setToday(new Date()), next.getTime() - Date.now() + 1_000);
    return () => clearTimeout(timer);
  }, [today]);
  return today;
}
