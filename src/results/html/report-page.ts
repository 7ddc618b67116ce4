/**
 * The script report.html runs in the browser: reads the embedded data and draws every
 * section with uPlot. Kept as plain ES2020 text (no build step, no imports) so the page
 * is one self-contained file. It builds the DOM with textContent only, so nothing from
 * the results folder is ever parsed as HTML. For tests, each chart's series are left in
 * window.kbenchCharts, and body[data-rendered] says when drawing ended ("ok" or "error").
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('kbench-data').textContent);
  var charts = (window.kbenchCharts = []);
  var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
  var PHASE_FILL = { warmup: 'rgba(128,128,128,0.15)', drain: 'rgba(255,165,0,0.15)' };
  var main = document.getElementById('report');

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'cls') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }
  function num(v, digits) {
    if (v === null || v === undefined || v === '') return '-';
    if (typeof v !== 'number') return String(v);
    return v.toLocaleString('en-US', { maximumFractionDigits: digits === undefined ? 3 : digits });
  }
  function table(head, rows) {
    return el('table', null, [
      el('thead', null, [el('tr', null, head.map(function (h) { return el('th', { text: h }); }))]),
      el('tbody', null, rows.map(function (r) { return el('tr', null, r.map(function (c) { return el('td', { text: typeof c === 'number' ? num(c) : String(c) }); })); })),
    ]);
  }
  function kv(obj) {
    return table(['setting', 'value'], Object.keys(obj).map(function (k) {
      var v = obj[k];
      return [k, v === null ? '-' : typeof v === 'object' ? JSON.stringify(v) : String(v)];
    }));
  }
  // The page's width, not the box's: a box inside a closed <details> has none yet.
  function width() { return Math.max(320, Math.min(1100, (main.clientWidth || 900) - 10)); }
  function column(rows, name) { return rows.map(function (r) { var v = r[name]; return typeof v === 'number' ? v : null; }); }
  function has(rows, name) { return rows.length > 0 && Object.prototype.hasOwnProperty.call(rows[0], name); }
  /** x of an interval: its middle, seconds since the run started. */
  function times(rows) { return rows.map(function (r) { return r.start_s + r.duration_s / 2; }); }
  function phaseBands(rows) {
    return rows.filter(function (r) { return PHASE_FILL[r.phase]; }).map(function (r) {
      return { from: r.start_s, to: r.start_s + r.duration_s, fill: PHASE_FILL[r.phase] };
    });
  }

  /** A chart box: title, the chart, a note; the chart's series recorded for tests. */
  function chart(parent, id, title, note, opts, aligned, record) {
    var box = el('div', { cls: 'chart', id: id }, [el('h4', { text: title })]);
    parent.appendChild(box);
    opts.width = width();
    opts.height = opts.height || 260;
    new uPlot(opts, aligned, box);
    if (note) box.appendChild(el('p', { cls: 'note', text: note }));
    charts.push({ id: id, title: title, series: record });
  }

  /** Lines over one x per row of several tables (several runs): joined by uPlot. */
  function lineChart(parent, id, title, yLabel, tables, note, bands, xLabel, xOpts) {
    var aligned = tables.length === 1 ? [tables[0].x].concat(tables[0].lines.map(function (l) { return l.values; })) :
      uPlot.join(tables.map(function (t) { return [t.x].concat(t.lines.map(function (l) { return l.values; })); }));
    var series = [{ label: xLabel || 'time (s)' }];
    var record = [];
    var i = 0;
    tables.forEach(function (t) {
      t.lines.forEach(function (l) {
        series.push({ label: l.label, stroke: l.color || COLORS[i % COLORS.length], width: 1.5, dash: l.dash, spanGaps: true, points: { show: t.x.length < 40 } });
        record.push({ label: l.label, values: l.values });
        i++;
      });
    });
    var opts = {
      series: series,
      scales: Object.assign({ x: { time: false } }, xOpts && xOpts.scales),
      axes: xOpts && xOpts.axes ? xOpts.axes : [{ label: xLabel || 'time since start (s)' }, { label: yLabel, size: 70 }],
      legend: { live: true },
      hooks: bands && bands.length ? {
        drawClear: [function (u) {
          var ctx = u.ctx;
          bands.forEach(function (b) {
            var x0 = u.valToPos(b.from, 'x', true), x1 = u.valToPos(b.to, 'x', true);
            ctx.fillStyle = b.fill;
            ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
          });
        }],
      } : undefined,
    };
    chart(parent, id, title, note, opts, aligned, record);
  }

  var PCT_TICKS = [[1, '0%'], [2, '50%'], [10, '90%'], [100, '99%'], [1000, '99.9%'], [10000, '99.99%'], [100000, '99.999%']];
  /** The HdrHistogram plotter's picture: value against 1/(1-percentile) on a log axis. */
  function distributionChart(parent, id, title, dists, note) {
    var tables = dists.filter(function (d) { return d.points.length > 0; }).map(function (d, i) {
      return { x: d.points.map(function (p) { return 1 / (1 - p[0] / 100); }), lines: [{ label: d.label, values: d.points.map(function (p) { return p[1]; }), dash: d.dash, color: d.color || COLORS[i % COLORS.length] }] };
    });
    if (tables.length === 0) return;
    lineChart(parent, id, title, 'latency (ms)', tables, note, null, 'percentile', {
      scales: { x: { time: false, distr: 3, log: 10 } },
      axes: [
        { label: 'percentile', splits: function () { return PCT_TICKS.map(function (t) { return t[0]; }); },
          values: function (u, splits) { return splits.map(function (s) { var t = PCT_TICKS.find(function (p) { return p[0] === s; }); return t ? t[1] : ''; }); } },
        { label: 'latency (ms)', size: 70 },
      ],
    });
  }

  /** Bars by category (cases, shards); one series, or two side by side. */
  function barChart(parent, id, title, yLabel, categories, bars, note) {
    var n = bars.length;
    var series = [{ label: 'case' }];
    bars.forEach(function (b, i) {
      series.push({ label: b.label, stroke: b.color || COLORS[i % COLORS.length], fill: (b.color || COLORS[i % COLORS.length]) + '99',
        // One series: centred; two (current and baseline): left and right of the category.
        paths: uPlot.paths.bars({ size: [n === 1 ? 0.6 : 0.35, 80], align: n === 1 ? 0 : i === 0 ? -1 : 1 }),
        points: { show: false } });
    });
    var opts = {
      series: series,
      scales: { x: { time: false, range: [-0.5, categories.length - 0.5] }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
      axes: [
        { splits: function () { return categories.map(function (_, j) { return j; }); }, values: function () { return categories; }, gap: 5 },
        { label: yLabel, size: 70 },
      ],
    };
    var aligned = [categories.map(function (_, j) { return j; })].concat(bars.map(function (b) { return b.values; }));
    chart(parent, id, title, note, opts, aligned, bars.map(function (b) { return { label: b.label, values: b.values }; }));
  }

  function latencyRows(block, names) {
    return names.filter(function (n) { return block[n[0]]; }).map(function (n) {
      var l = block[n[0]];
      return [n[1], l.count, l.p50, l.p90, l.p99, l.p999, l.max];
    });
  }

  var chartIds = 0;
  function nextId(prefix) { chartIds++; return prefix + '-' + chartIds; }

  function runSection(run, baseline) {
    var s = run.summary;
    var sec = el('section', { cls: 'run' });
    sec.appendChild(el('h2', { text: 'kbench ' + s.command + ' · run ' + s.run_id }));
    sec.appendChild(el('p', { cls: 'where', text: run.dir + ' · started ' + s.started_at + ' · ended ' + s.ended_at }));
    var tgt = s.target || {};
    sec.appendChild(el('p', { cls: 'target', text: 'target: ' + tgt.kind + (tgt.emulator ? ' ' + tgt.emulator.name + ' ' + tgt.emulator.version : '') + ' · ' +
      (tgt.quota ? 'quotas emulated (a local run, not an AWS figure)' : tgt.kind === 'aws' ? "AWS's own quotas" : 'no quotas emulated') + ' · ' +
      (tgt.faults ? 'faults injected: ' + JSON.stringify(tgt.faults) : 'no faults injected') +
      (s.stream ? ' · ' + s.stream.shards + ' shard(s)' : '') }));
    if (s.interrupted) sec.appendChild(el('div', { cls: 'banner interrupted', text: 'INTERRUPTED: ' + (s.interrupt_reason || 'the run stopped early') + '. The figures cover the run up to the stop.' }));
    var client = s.client || {};
    if (client.client_bound) sec.appendChild(el('div', { cls: 'banner clientbound', text: 'CLIENT-BOUND: ' + (client.client_bound_reasons || []).join('; ') + (client.client_bound_advice ? ' · ' + client.client_bound_advice : '') }));
    else sec.appendChild(el('div', { cls: 'banner ok', text: 'not client-bound: kbench kept up with its schedule' }));

    // Headline figures.
    var put = s.put || {};
    if (s.put) {
      sec.appendChild(el('h3', { text: 'put' }));
      var r = put.records || {};
      sec.appendChild(table(['records sent', 'accepted', 'failed', 'throttled attempts', 'error attempts', 'records/s', 'MiB/s', 'throttled %'],
        [[r.sent, r.accepted, r.failed, r.throttled, r.errors, put.records_per_s, put.mib_per_s, put.throttled_pct]]));
      sec.appendChild(table(['latency (ms)', 'count', 'p50', 'p90', 'p99', 'p99.9', 'max'], latencyRows(put, [['latency_ms', 'request (from intended send time)'], ['record_latency_ms', 'record (with retries)']])));
    }
    var lag = s.lag;
    if (lag) {
      sec.appendChild(el('h3', { text: 'lag (' + lag.consumer + ', ' + lag.consumers + ' consumer(s))' }));
      sec.appendChild(table(['lag breakdown (ms)', 'count', 'p50', 'p90', 'p99', 'p99.9', 'max'], latencyRows(lag, [
        ['latency_ms', 'put-to-get lag'], ['put_to_arrival_ms', 'write path: send to arrival (server clock)'],
        ['arrival_to_receive_ms', 'polling wait: arrival to receive (server clock)'], ['millis_behind_latest_ms', 'backlog: MillisBehindLatest'],
      ])));
      var rec = lag.records || {};
      sec.appendChild(el('div', { cls: 'banner ' + (lag.complete ? 'ok' : 'clientbound'), text: (lag.complete ? 'complete: every record produced was received' : 'INCOMPLETE: records missing or unacknowledged') }));
      sec.appendChild(table(['produced', 'expected', 'received', 'duplicates', 'missing', 'unacknowledged', 'foreign', 'other processes'],
        [[rec.produced, rec.expected, rec.received, rec.duplicates, rec.missing, rec.unacknowledged, rec.foreign, rec.other_processes]]));
    }

    var rows = run.intervals;
    var grid = el('div', { cls: 'grid' });
    sec.appendChild(grid);
    var bands = phaseBands(rows);
    var bandNote = 'grey: warmup, amber: drain (not in the summary); one point per interval, at its middle';
    var base = baseline && baseline.kind === 'results' ? baseline.run : null;
    function withBase(lines, baseLines) {
      var tables = [{ x: times(rows), lines: lines }];
      if (base && base.intervals.length) tables.push({ x: times(base.intervals), lines: baseLines });
      return tables;
    }
    if (rows.length) {
      var rate = [{ label: 'accepted records/s', values: column(rows, 'accepted_records_per_s') }, { label: 'throttled records/s', values: column(rows, 'throttled_records_per_s') }];
      if (has(rows, 'error_records_per_s')) rate.push({ label: 'error records/s', values: column(rows, 'error_records_per_s') });
      if (has(rows, 'target_records_per_s')) rate.push({ label: 'target records/s', values: column(rows, 'target_records_per_s'), dash: [4, 4] });
      if (has(rows, 'received_records_per_s')) rate.push({ label: 'received records/s', values: column(rows, 'received_records_per_s') });
      lineChart(grid, nextId('throughput'), 'records/s per interval', 'records/s',
        withBase(rate, base ? [{ label: 'baseline accepted records/s', values: column(base.intervals, 'accepted_records_per_s'), dash: [6, 4], color: '#999' }] : []), bandNote, bands);
      var lat = [['latency_p50_ms', 'request p50'], ['latency_p90_ms', 'request p90'], ['latency_p99_ms', 'request p99'], ['latency_max_ms', 'request max'], ['record_latency_p99_ms', 'record p99']]
        .filter(function (c) { return has(rows, c[0]); }).map(function (c) { return { label: c[1] + ' (ms)', values: column(rows, c[0]) }; });
      lineChart(grid, nextId('put-latency'), 'put latency per interval (ms, by answer time)', 'ms',
        withBase(lat, base ? [{ label: 'baseline request p99 (ms)', values: column(base.intervals, 'latency_p99_ms'), dash: [6, 4], color: '#999' }] : []), bandNote, bands);
      if (has(rows, 'lag_p99_ms')) {
        var lagLines = [['lag_p50_ms', 'lag p50'], ['lag_p90_ms', 'lag p90'], ['lag_p99_ms', 'lag p99'], ['lag_max_ms', 'lag max'], ['put_to_arrival_p50_ms', 'send to arrival p50'], ['arrival_to_receive_p50_ms', 'arrival to receive p50'], ['millis_behind_latest_max_ms', 'MillisBehindLatest max']]
          .filter(function (c) { return has(rows, c[0]); }).map(function (c) { return { label: c[1] + ' (ms)', values: column(rows, c[0]) }; });
        lineChart(grid, nextId('lag'), 'put-to-get lag per interval (ms, by receive time)', 'ms',
          withBase(lagLines, base ? [{ label: 'baseline lag p99 (ms)', values: column(base.intervals, 'lag_p99_ms'), dash: [6, 4], color: '#999' }] : []), bandNote, bands);
      }
    } else {
      sec.appendChild(el('p', { cls: 'note', text: 'no intervals.csv in this folder: no charts over time' }));
    }
    // Per shard: over time when shard-intervals.csv is there, else the measured phase's shares.
    var shardRows = run.shardIntervals || [];
    var shards = shardRows.map(function (r) { return r.shard; }).filter(function (v, i, a) { return a.indexOf(v) === i; }).sort();
    if (shards.length > 1) {
      // One table per shard: a shard that accepted nothing in an interval has no row there.
      lineChart(grid, nextId('shards'), 'accepted records/s per shard', 'records/s', shards.map(function (sh, i) {
        var own = shardRows.filter(function (r) { return r.shard === sh; });
        return { x: times(own), lines: [{ label: sh, values: own.map(function (r) { return r.accepted_records_per_s; }), color: COLORS[i % COLORS.length] }] };
      }), bandNote, bands);
    } else if (put.per_shard && Object.keys(put.per_shard).length > 1) {
      var ids = Object.keys(put.per_shard);
      barChart(grid, nextId('shards'), 'accepted records/s per shard (measured phase)', 'records/s', ids,
        [{ label: 'records/s', values: ids.map(function (id) { return put.per_shard[id].records_per_s; }) }]);
    }
    var dists = run.distributions.map(function (d, i) { return { label: d.name + ' (' + d.count + ')', points: d.points, color: COLORS[i % COLORS.length] }; });
    if (base) base.distributions.forEach(function (d, i) { dists.push({ label: 'baseline ' + d.name, points: d.points, dash: [6, 4], color: COLORS[i % COLORS.length] }); });
    distributionChart(grid, nextId('distribution'), 'percentile distribution, measured phase (ms)', dists,
      'from measured-histograms.hlog (by intended send time); the .hgrm files hold the same curves for the HdrHistogram plotter');

    // Settings, target, quotas and faults.
    var t = s.target || {};
    var details = el('details', null, [el('summary', { text: 'settings and target' })]);
    details.appendChild(kv({
      target: t.kind, endpoint: t.endpoint, region: t.region, emulator: t.emulator ? t.emulator.name + ' ' + t.emulator.version : null,
      limits: t.limits, quotas: t.quota ? t.quota : 'none emulated', faults: t.faults ? t.faults : 'none injected',
      stream: s.stream ? s.stream.name + ' (' + s.stream.shards + ' shards)' : null,
      workers: client.workers, 'event-loop delay p99 (ms)': client.event_loop_delay_p99_ms, 'peak RSS (MiB)': client.peak_rss_mib, kbench: s.kbench ? s.kbench.version + ' on node ' + s.kbench.node : null,
    }));
    details.appendChild(el('h4', { text: 'options' }));
    details.appendChild(kv(s.options || {}));
    sec.appendChild(details);
    return sec;
  }

  var CASE_FIGURES = [['put.records_per_s', 'records/s accepted, by case'], ['put.p99_ms', 'put request latency p99 (ms), by case'], ['lag.p99_ms', 'lag p99 (ms), by case']];
  function runSetSection(set, baseline) {
    var m = set.manifest;
    var sec = el('section', { cls: 'runset' });
    sec.appendChild(el('h2', { text: 'kbench run ' + m.run_id + ' · ' + m.scenario }));
    if (m.description) sec.appendChild(el('p', { text: m.description }));
    sec.appendChild(el('p', { cls: 'where', text: set.dir + ' · ' + m.status + ' · started ' + m.started_at + ' · ended ' + (m.ended_at || '-') + ' · ' + m.repeat + ' repetition(s) per case' }));
    if (m.status === 'interrupted') sec.appendChild(el('div', { cls: 'banner interrupted', text: 'INTERRUPTED: the run stopped before every case ran' }));
    var baseSet = baseline && baseline.kind === 'run' ? baseline.set : null;
    var labels = set.cases.map(function (c) { return c.label; });
    var grid = el('div', { cls: 'grid' });
    sec.appendChild(grid);
    CASE_FIGURES.forEach(function (f) {
      if (!set.cases.some(function (c) { return c.metrics[f[0]]; })) return;
      var bars = [{ label: 'current', values: set.cases.map(function (c) { return c.metrics[f[0]] ? c.metrics[f[0]].value : null; }) }];
      if (baseSet) bars.push({ label: 'baseline', color: '#999999', values: set.cases.map(function (c) {
        var b = baseSet.cases.find(function (x) { return x.key === c.key; });
        return b && b.metrics[f[0]] ? b.metrics[f[0]].value : null;
      }) });
      barChart(grid, nextId('cases'), f[1], f[0].indexOf('records_per_s') >= 0 ? 'records/s' : 'ms', labels, bars, 'median over repetitions');
    });
    var dists = [];
    set.cases.forEach(function (c, i) {
      var d = c.runs[0] && c.runs[0].distributions[0];
      if (d) dists.push({ label: c.label + ' ' + d.name, points: d.points, color: COLORS[i % COLORS.length] });
      var b = baseSet && baseSet.cases.find(function (x) { return x.key === c.key; });
      var bd = b && b.runs[0] && b.runs[0].distributions[0];
      if (bd) dists.push({ label: 'baseline ' + c.label + ' ' + bd.name, points: bd.points, dash: [6, 4], color: COLORS[i % COLORS.length] });
    });
    distributionChart(grid, nextId('case-distribution'), 'percentile distribution by case (first repetition, ms)', dists);
    var gate = m.gate;
    if (gate && gate.thresholds && gate.thresholds.length) {
      sec.appendChild(el('h3', { text: 'thresholds: ' + (gate.passed ? 'passed' : 'FAILED') }));
      sec.appendChild(table(['case', 'threshold', 'value', 'unit', 'status'], gate.thresholds.map(function (t) { return [t.case, t.threshold, t.value, t.unit, t.status]; })));
    }
    if (gate && gate.comparison) {
      sec.appendChild(el('h3', { text: 'against the baseline ' + gate.comparison.baseline }));
      sec.appendChild(table(['case', 'metric', 'baseline', 'current', 'change %', 'limit', 'verdict'], gate.comparison.rows.map(function (r) { return [r.case, r.metric + ' (' + r.unit + ')', r.baseline, r.current, r.change_pct, r.max_regression || '-', r.verdict]; })));
    }
    set.cases.forEach(function (c) {
      var caseBox = el('details', null, [el('summary', { text: 'case ' + c.label + ' (' + c.status + ')' })]);
      c.runs.forEach(function (r) { caseBox.appendChild(runSection(r, null)); });
      sec.appendChild(caseBox);
    });
    return sec;
  }

  function overlaySection(runs) {
    var sec = el('section', { cls: 'overlay' });
    sec.appendChild(el('h2', { text: runs.length + ' runs side by side' }));
    var grid = el('div', { cls: 'grid' });
    sec.appendChild(grid);
    lineChart(grid, nextId('overlay-throughput'), 'accepted records/s per interval, each run', 'records/s', runs.filter(function (r) { return r.intervals.length; }).map(function (r, i) {
      return { x: times(r.intervals), lines: [{ label: r.label, values: column(r.intervals, 'accepted_records_per_s'), color: COLORS[i % COLORS.length] }] };
    }));
    var dists = [];
    runs.forEach(function (r, i) { r.distributions.forEach(function (d, j) { dists.push({ label: r.label + ' ' + d.name, points: d.points, color: COLORS[i % COLORS.length], dash: j ? [4, 3] : undefined }); }); });
    distributionChart(grid, nextId('overlay-distribution'), 'percentile distributions, each run (ms)', dists);
    return sec;
  }

  try {
    var singles = data.sources.filter(function (s) { return s.kind === 'results'; }).map(function (s) { return s.run; });
    if (singles.length > 1) main.appendChild(overlaySection(singles));
    data.sources.forEach(function (source) {
      main.appendChild(source.kind === 'run' ? runSetSection(source.set, data.baseline) : runSection(source.run, data.baseline));
    });
    document.body.setAttribute('data-rendered', 'ok');
  } catch (error) {
    main.appendChild(el('div', { cls: 'banner interrupted', text: 'the report could not be drawn: ' + error }));
    document.body.setAttribute('data-rendered', 'error');
    console.error(error);
  }
})();
`;
