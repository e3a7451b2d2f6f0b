// Berth's fleet page: fetches api/transcoders every few seconds and renders it. Every value from the worker goes into
// the DOM as text (textContent), never as markup; a link's target is used only when it is exactly an https URL to
// port 8444 of a dotted-quad address (the worker builds it that way; this checks again).
'use strict';
(function () {
  const REFRESH_MS = 3000;
  const ADMIN_URL = /^https:\/\/\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}:8444\/$/;
  let refreshes = 0;

  const byId = (id) => document.getElementById(id);

  function cell(value, className) {
    const td = document.createElement('td');
    td.textContent = value === null || value === undefined || value === '' ? '–' : String(value);
    if (className) {
      td.className = className;
    }
    return td;
  }

  /** Two largest units, as `berth status` writes them: 45s, 4m40s, 3h12m, 2d4h. */
  function human(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    const two = (big, bigUnit, small, smallUnit) => big + bigUnit + (small === 0 ? '' : small + smallUnit);
    if (s < 60) return s + 's';
    if (s < 3600) return two(Math.floor(s / 60), 'm', s % 60, 's');
    if (s < 86400) return two(Math.floor(s / 3600), 'h', Math.floor(s % 3600 / 60), 'm');
    return two(Math.floor(s / 86400), 'd', Math.floor(s % 86400 / 3600), 'h');
  }

  /** Relative to the worker's clock (the view's `at`), not the browser's. */
  function ago(at, now) {
    if (!at) return null;
    return human((Date.parse(now) - Date.parse(at)) / 1000) + ' ago';
  }

  function address(t) {
    const td = document.createElement('td');
    td.className = 'address';
    if (t.adminUrl && ADMIN_URL.test(t.adminUrl)) {
      const a = document.createElement('a');
      a.href = t.adminUrl;
      a.textContent = t.address;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      a.title = 'WCS web admin of this transcoder';
      td.append(a);
    } else {
      td.textContent = t.address || '–';
    }
    return td;
  }

  function transcoderRow(t, now) {
    const tr = document.createElement('tr');
    tr.dataset.key = t.tenantId + '/' + t.transcoderId;
    tr.classList.toggle('alert', Boolean(t.alert));
    tr.classList.toggle('here', Boolean(t.here));
    tr.append(
      cell(t.tenantId), cell(t.transcoderId), cell(t.roomId), address(t), cell(t.hostId || 'none'),
      cell(t.state, 'state'),
      cell(t.uptimeSeconds === null ? null : human(t.uptimeSeconds)),
      cell(t.here ? t.restarts : null, 'restarts'),
      cell(ago(t.lastCrashAt, now)),
      cell([t.alert, t.note].filter(Boolean).join('; '), 'attention'));
    if (!t.here) {
      tr.title = 'Uptime and restarts are known to the worker on ' + (t.hostId || 'the host that takes it') + ': see its page';
    }
    return tr;
  }

  function hostRow(h) {
    const tr = document.createElement('tr');
    tr.dataset.host = h.hostId;
    tr.classList.toggle('here', Boolean(h.here));
    tr.append(cell(h.hostId + (h.here ? ' (this worker)' : '')), cell(h.transcoders),
      cell(h.leaseSecondsLeft === null ? null : h.leaseSecondsLeft + 's'));
    return tr;
  }

  function render(view) {
    byId('scope').textContent = view.mode === 'fleet' ? '— fleet, as seen from ' + view.hostId : '— host ' + view.hostId;
    document.title = 'Berth ' + view.hostId;
    byId('transcoders').tBodies[0].replaceChildren(...view.transcoders.map((t) => transcoderRow(t, view.at)));
    byId('hosts').tBodies[0].replaceChildren(...view.hosts.map(hostRow));
    byId('empty').hidden = view.transcoders.length > 0;
    const problems = byId('problems');
    problems.replaceChildren(...view.problems.map((p) => {
      const li = document.createElement('li');
      li.textContent = p;
      return li;
    }));
    problems.hidden = view.problems.length === 0;
    byId('counting').textContent = '* Restarts and last crashes are counted by the worker on ' + view.hostId
      + ' in memory since it started (' + view.countingSince + '), for its own transcoders only'
      + (view.mode === 'fleet' ? '; other hosts\u2019 are on their own pages.' : '.');
    refreshes += 1;
    document.body.dataset.refreshes = String(refreshes);
    document.body.dataset.viewAt = view.at;
    const status = byId('status');
    status.textContent = 'as of ' + view.at + ' (worker time), refreshing every ' + REFRESH_MS / 1000 + 's';
    status.classList.remove('stale');
  }

  async function refresh() {
    try {
      if (!document.hidden) { // a tab nobody looks at asks the worker for nothing
        const response = await fetch('api/transcoders', { cache: 'no-store', headers: { Accept: 'application/json' } });
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        render(await response.json());
      }
    } catch (e) {
      const status = byId('status');
      status.textContent = 'cannot reach the worker (' + e.message + '); showing what it said last';
      status.classList.add('stale');
    } finally {
      setTimeout(refresh, REFRESH_MS);
    }
  }

  refresh();
})();
