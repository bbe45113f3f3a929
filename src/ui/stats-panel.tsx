// The options page's Statistics tab: the last 30 days' counts (checked, covered, couldn't check),
// drawn per day, what covered them, the same numbers as a table, and "Clear statistics". Counts only:
// the background never stores an address or a site (daily-stats.ts).
import { i18n } from '#i18n';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { series, totals, type CoverRule } from '../stats/daily-stats';
import { tagLabel, type CustomTag } from '../tags/vocabulary';
import { errorText } from '../util/checks';
import { clearStatistics } from './clear-stats';
import { DailyChart, shortDate } from './daily-chart';
import { useDailyStats } from './use-daily-stats';

export function ruleLabel(rule: CoverRule, customTags: readonly CustomTag[]): string {
  if (rule === 'you') return i18n.t('stats.rules.you');
  if (rule === 'unchecked') return i18n.t('stats.rules.unchecked');
  return tagLabel(rule, customTags);
}

export function StatsPanel({ customTags }: { customTags: readonly CustomTag[] }) {
  const { stats, error } = useDailyStats();
  const today = useToday();
  const view = useMemo(() => (stats === null ? null : { days: series(stats, today), ...totals(stats, today) }), [stats, today]);

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
function DayTable({ days }: { days: ReturnType<typeof series> }) {
  const lang = document.documentElement.lang || 'en';
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
              <th scope="row">{shortDate(day, lang)}</th>
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
  const [asking, setAsking] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  // Focus follows the question: to its answer button while asked, back to Clear after.
  const ask = (on: boolean) => {
    setAsking(on);
    setTimeout(() => (on ? confirm : button).current?.focus());
  };
  const clear = async () => {
    ask(false);
    try {
      await clearStatistics();
      setOutcome({ ok: true, text: i18n.t('stats.cleared') });
    } catch (e) {
      setOutcome({ ok: false, text: i18n.t('stats.couldNotClear', [errorText(e)]) });
    }
  };
  return (
    <div class="clear-stats">
      {asking ? (
        <p role="group" aria-label={i18n.t('stats.clear')}>
          {i18n.t('stats.clearConfirm')}{' '}
          <button ref={confirm} type="button" class="danger" data-testid="clear-stats-confirm" onClick={() => void clear()}>
            {i18n.t('stats.clear')}
          </button>{' '}
          <button type="button" onClick={() => ask(false)}>
            {i18n.t('options.cancel')}
          </button>
        </p>
      ) : (
        <button ref={button} type="button" data-testid="clear-stats" onClick={() => ask(true)}>
          {i18n.t('stats.clear')}
        </button>
      )}
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
