/* racedesk pages: contest filter, time slider, charts (uPlot) and live-update glue (htmx).
 *
 * Works in two modes, read from <body data-mode>:
 *   live   — served by `racedesk serve`; htmx swaps #live when a release event arrives
 *            (server-sent events), and the slider asks the server for the page as of a release;
 *   static — a static export opened from file:// or any static host; every release's part of
 *            a contest page is embedded as <template id="part-N">, so nothing is fetched.
 * Names from feeds are only ever inserted as text (textContent), never as HTML.
 */
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }
  function live() { return document.body.dataset.mode === "live"; }
  function readJSON(id) {
    var el = $(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function pct(v, digits) {
    return v == null ? "–" : (v * 100).toFixed(digits == null ? 1 : digits) + "%";
  }

  /* Is the contest page showing the latest release? (htmx trigger filter on #live) */
  function following() {
    var main = $("live");
    if (!main || !main.dataset.latest) return true;
    return main.dataset.selected === main.dataset.latest;
  }
  window.rdFollowing = following;

  /* --- the contests index: search and status filter ----------------------------------- */
  /* The search rules of racedesk.publish.search, for the page's own search box. */
  var SYNONYMS = {prop: ["measure"], props: ["measure"], proposition: ["measure"],
                  da: ["district", "attorney"]};
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^0-9a-z]+/g, " ").trim();
  }
  function queryWords(q) {
    var out = [];
    fold(q).split(" ").filter(Boolean).forEach(function (w) {
      out.push.apply(out, SYNONYMS[w] || [w]);
    });
    return out;
  }
  function matches(word, words) {
    if (word.length >= 3) return words.some(function (w) { return w.indexOf(word) === 0; });
    return words.indexOf(word) >= 0;
  }
  function rank(query, title, others) {
    if (!query.length) return 1;
    var inTitle = title.split(" ").filter(Boolean);
    if (query.every(function (w) { return matches(w, inTitle); })) {
      var tail = inTitle.slice(-query.length);
      var exact = tail.length === query.length && tail.every(function (t, i) {
        var w = query[i];
        return t === w || (w.length >= 3 && t.indexOf(w) === 0);
      });
      return exact ? 3 : 2;
    }
    var all = inTitle.concat(others.split(" ").filter(Boolean));
    return query.every(function (w) { return matches(w, all); }) ? 1 : 0;
  }
  window.rdSearch = {fold: fold, queryWords: queryWords, rank: rank};

  function applyFilter() {
    var table = $("contests"), q = $("q"), st = $("status");
    if (!table || !q) return;
    var query = queryWords(q.value);
    var status = st ? st.value : "";
    var body = table.tBodies[0], lines = Array.prototype.slice.call(body.rows), shown = 0;
    var filtered = query.length > 0 || !!status;
    var rows = lines.filter(function (row) { return !row.dataset.head; });
    var scored = lines.map(function (row) {
      var order = Number(row.dataset.order || 0);
      if (row.dataset.head) {  // an office's heading: shown with the layout, not with matches
        row.hidden = filtered;
        return [filtered ? 1 : 0, order, row];
      }
      var score = (!status || row.dataset.status === status) ?
        rank(query, row.dataset.title || "", row.dataset.search || "") : 0;
      row.hidden = !score;
      if (score) shown++;
      return [filtered ? -score : 0, order, row];
    });
    scored.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    scored.forEach(function (s) { body.appendChild(s[2]); });
    var note = $("shown");
    if (note) note.textContent = shown + " of " + rows.length + " contest" + (rows.length === 1 ? "" : "s");
    if (live()) {
      var params = new URLSearchParams();
      if (q.value) params.set("q", q.value);
      if (status) params.set("status", status);
      var wanted = params.toString();
      history.replaceState(null, "", location.pathname + (wanted ? "?" + wanted : ""));
      var csv = $("csv-link");  // the CSV download: what the page shows
      if (csv) csv.href = csv.dataset.base + (wanted ? "?" + wanted : "");
    }
  }

  function initFilter() {
    var form = $("filters");
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";
    form.addEventListener("submit", function (e) { e.preventDefault(); applyFilter(); });
    $("q").addEventListener("input", applyFilter);
    if ($("status")) $("status").addEventListener("change", applyFilter);
  }

  /* --- charts --------------------------------------------------------------------------- */
  /* x is each release's feed time (seconds), told in the election's zone; each choice keeps the
   * colour the server gave it (racedesk.publish.charts.choice_colour), whoever leads; the legend
   * shows the values at the release shown unless the cursor is on a chart. */
  var plots = [];
  window.rdPlots = plots;
  var AXIS_FONT = "12px sans-serif";
  var NEEDED = "#374151";

  function cut(values, upto) {
    return values.map(function (v, i) { return i <= upto ? v : null; });
  }

  function fill(hex) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + ",0.15)";
  }

  function timeFormats(zone) {
    return {
      day: new Intl.DateTimeFormat("en-US", { timeZone: zone, month: "short", day: "numeric" }),
      hour: new Intl.DateTimeFormat("en-US", { timeZone: zone, hour: "numeric", minute: "2-digit" }),
    };
  }

  /* The time axis: days when the ticks are a day or more apart, else times, each new day's
   * first tick with its date on a second line. The ticks drawn are kept on the plot (rdTicks). */
  function xAxis(chart) {
    var f = timeFormats(chart.zone);
    return {
      font: AXIS_FONT, space: 60, size: 44,
      values: function (u, splits, axisIdx, space, incr) {
        var seen = null;
        var out = splits.map(function (t) {
          var d = new Date(t * 1000), day = f.day.format(d);
          if (incr >= 86400) return day;
          var text = f.hour.format(d) + (day !== seen ? "\n" + day : "");
          seen = day;
          return text;
        });
        u.rdTicks = splits.map(function (t, i) { return [t, out[i]]; });
        return out;
      },
    };
  }

  function yAxis() {
    return { font: AXIS_FONT, size: 50, values: function (u, splits) { return splits.map(function (v) { return pct(v, 0); }); } };
  }

  function xSeries(chart) {
    return { label: "As of", value: function (u, v, s, i) { return i == null ? "–" : chart.labels[i]; } };
  }

  /* The options both charts share: the time scale in the election's zone, room on the right
   * for the last tick's label, and a legend that shows the release shown when not hovered. */
  function baseOptions(chart, upto, width, height) {
    var zone = chart.zone;
    var atRest = function (u) { if (u.cursor.idx == null) u.setLegend({ idx: upto }); };
    return {
      width: width, height: height,
      padding: [12, 36, 0, 0],
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), zone); },
      scales: { x: { time: true, range: function (u, lo, hi) {
        if (chart.first != null && chart.first <= upto) lo = Math.max(lo, chart.times[chart.first]);
        return lo >= hi ? [hi - 1800, hi + 1800] : [lo, hi];
      } } },
      axes: [xAxis(chart), yAxis()],
      legend: { live: true },
      hooks: { ready: [atRest], setCursor: [atRest] },
    };
  }

  function sharesChart(el, chart, upto, width) {
    var data = [chart.times], series = [xSeries(chart)], bands = [];
    chart.series.forEach(function (s) {
      data.push(cut(s.shares, upto));
      series.push({ label: s.name, stroke: s.colour, width: 2, value: function (u, v) { return pct(v, 2); } });
    });
    chart.series.slice(0, 2).forEach(function (s) {
      if (!s.high.some(function (v) { return v != null; })) return;
      data.push(cut(s.high, upto));
      var hi = data.length - 1;
      series.push({ label: s.name + " 90% high", stroke: s.colour, width: 1, dash: [4, 4], value: function (u, v) { return pct(v, 1); }, rdBand: true });
      data.push(cut(s.low, upto));
      series.push({ label: s.name + " 90% low", stroke: s.colour, width: 1, dash: [4, 4], value: function (u, v) { return pct(v, 1); }, rdBand: true });
      bands.push({ series: [hi, hi + 1], fill: fill(s.colour) });
    });
    var opts = baseOptions(chart, upto, width, 260);
    opts.series = series;
    opts.bands = bands;
    return new uPlot(opts, data, el);
  }

  function batchChart(el, chart, upto, width) {
    var b = chart.batch;
    var data = [chart.times, cut(b.shares, upto), cut(b.need_mid, upto), cut(b.need_high, upto), cut(b.need_low, upto)];
    var fmt = function (u, v) { return pct(v, 1); };
    var opts = baseOptions(chart, upto, width, 220);
    opts.series = [
      xSeries(chart),
      { label: b.name + "'s batch share", stroke: b.colour, width: 0, paths: function () { return null; },
        points: { show: true, size: 7, fill: b.colour }, value: fmt },
      { label: "needed", stroke: NEEDED, width: 2, value: fmt },
      { label: "needed (high)", stroke: NEEDED, width: 1, dash: [4, 4], value: fmt, rdBand: true },
      { label: "needed (low)", stroke: NEEDED, width: 1, dash: [4, 4], value: fmt, rdBand: true },
    ];
    opts.bands = [{ series: [3, 4], fill: fill(NEEDED) }];
    return new uPlot(opts, data, el);
  }

  /* Band edges are drawn but kept out of the legend, which stays short on a phone. */
  function trimLegend(plot) {
    var rows = plot.root.querySelectorAll(".u-legend .u-series");
    plot.series.forEach(function (s, i) {
      if (s.rdBand && rows[i]) rows[i].style.display = "none";
    });
    return plot;
  }

  function drawCharts() {
    plots.forEach(function (p) { p.destroy(); });
    plots.length = 0;
    var main = $("live"), chart = readJSON("chart-data");
    if (!main || !chart || typeof uPlot === "undefined") return;
    var upto = parseInt(main.dataset.selected, 10);
    var shares = $("chart-shares"), batch = $("chart-batch");
    if (shares) plots.push(trimLegend(sharesChart(shares, chart, upto, Math.max(shares.clientWidth, 240))));
    if (batch && chart.batch) plots.push(trimLegend(batchChart(batch, chart, upto, Math.max(batch.clientWidth, 240))));
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(drawCharts, 150);
  });

  /* --- the time slider --------------------------------------------------------------------- */
  var partTimer = null;

  function showRelease(n) {
    var main = $("live"), slider = $("release-slider"), marks = readJSON("release-marks");
    if (!main || !slider || !marks || !marks[n]) return;
    main.dataset.selected = String(n);
    slider.value = String(n);
    $("release-label").textContent = marks[n].label;
    var latest = main.dataset.selected === main.dataset.latest;
    $("to-latest").hidden = latest;
    if (latest) $("pending").hidden = true;
    var records = readJSON("part-records");
    if (records && records[n]) {
      fillPart(records[n]);
      if (!live()) history.replaceState(null, "", "#release-" + n);
    } else if (live() && typeof htmx !== "undefined") {
      clearTimeout(partTimer);
      var url = main.dataset.partUrl + (latest ? "" : "?release=" + n);
      partTimer = setTimeout(function () {
        htmx.ajax("GET", url, { target: "#asof", select: "#asof", swap: "outerHTML" });
        history.replaceState(null, "", url);
      }, 80);
    }
    drawCharts();
  }

  /* Fill the part of a contest page from a part record (site.part_record): the same strings the
   * server renders into _contest_part.html, for a static page that cannot ask the server. */
  function setText(root, selector, value) {
    var el = root.querySelector(selector);
    if (el) el.textContent = value;
    return el;
  }
  function show(el, yes) { if (el) el.hidden = !yes; }

  /* A ranked-choice contest's rounds (part record "rounds"): the table and a bar per round,
     the same elements _contest_part.html renders. */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function fillRounds(part, rounds) {
    var section = part.querySelector("section.rounds");
    if (!section) return;
    show(section, rounds.length > 0);
    if (!rounds.length) return;
    var table = section.querySelector("#rounds");
    var head = el("tr");
    head.append(el("th", "", "Candidate"));
    rounds.forEach(function (round) { head.append(el("th", "num", round.number + ". " + round.name)); });
    table.tHead.replaceChildren(head);
    var body = table.tBodies[0];
    body.replaceChildren();
    rounds[0].cells.forEach(function (first, i) {
      var tr = el("tr"), th = el("th");
      tr.dataset.choice = first.id;
      th.scope = "row";
      th.append(el("span", "swatch seg-" + first.colour), el("bdi", "", first.name));
      tr.append(th);
      rounds.forEach(function (round) {
        var cell = round.cells[i];
        if (!cell) { tr.append(el("td", "num out muted", "out")); return; }
        var td = el("td", "num");
        td.append(cell.votes + " ", el("small", "muted", cell.share));
        if (cell.change) td.append(el("br"), el("small", "change", cell.change));
        tr.append(td);
      });
      body.append(tr);
    });
    var foot = el("tr"), fth = el("th", "", "Exhausted");
    fth.scope = "row";
    foot.append(fth);
    rounds.forEach(function (round) { foot.append(el("td", "num", round.exhausted)); });
    table.tFoot.replaceChildren(foot);
    var bars = section.querySelector("#round-bars");
    bars.replaceChildren();
    rounds.forEach(function (round) {
      var row = el("div", "round-bar"), bar = el("div", "bar"), words = [];
      row.append(el("span", "round-name", round.number + ". " + round.name));
      bar.setAttribute("role", "img");
      round.cells.forEach(function (cell) {
        if (!cell) return;
        var seg = el("span", "seg seg-" + cell.colour);
        seg.style.width = cell.width + "%";
        seg.title = cell.name + ": " + cell.votes + " (" + cell.share + ")";
        if (cell.width >= 12) {
          var parts = cell.name.split(" ");
          seg.append(el("bdi", "", parts[parts.length - 1]), " " + cell.share);
        }
        bar.append(seg);
        words.push(cell.name + " " + cell.votes);
      });
      if (round.exhausted_width > 0) {
        var gone = el("span", "seg seg-exhausted");
        gone.style.width = round.exhausted_width + "%";
        gone.title = "exhausted: " + round.exhausted;
        bar.append(gone);
      }
      bar.setAttribute("aria-label", words.join(", ") + ", exhausted " + round.exhausted);
      row.append(bar);
      bars.append(row);
    });
  }

  function fillPart(r) {
    var part = document.querySelector("#asof .part");
    if (!part) return;
    part.dataset.release = String(r.release);
    var call = part.querySelector("section.call");
    call.dataset.status = r.status;
    var badge = setText(part, "#call-status", r.status);
    badge.className = "badge " + r.status_class;
    show(setText(part, ".called-for", r.called_for), !!r.called_for);
    show(setText(part, ".sentence", r.sentence), !!r.sentence);
    show(setText(part, ".call-sentence", r.call_sentence), !!r.call_sentence);
    setText(part, ".lead-line .margin", r.margin || "");
    setText(part, ".lead-line .counted", r.counted || "");
    show(part.querySelector(".lead-line .counted-sep"), !!(r.margin && r.counted));
    setText(part, "#release-number", String(r.number));
    setText(part, ".release-last", String(r.last_number));
    var time = setText(part, ".release-line time", r.time);
    time.setAttribute("datetime", r.feed_time);
    setText(part, ".release-line .hash", r.hash);
    show(part.querySelector(".release-line .flagged"), r.flagged);

    var tbody = part.querySelector("#results tbody");
    r.rows.forEach(function (row) {
      var tr = tbody.querySelector('tr[data-choice="' + CSS.escape(row.id) + '"]');
      if (!tr) return;
      tbody.appendChild(tr);  // in the record's order: by votes at that release
      tr.classList.toggle("leader", row.leader);
      setText(tr, ".votes", row.votes);
      setText(tr, ".share", row.share);
      setText(tr, ".proj", row.proj);
      setText(tr, ".chance", row.chance).title = row.goal;
      var cell = tr.querySelector(".standing");
      cell.className = "standing " + row.standing_class;
      cell.replaceChildren();
      if (row.standing.length === 3) {
        var strong = document.createElement("strong"), small = document.createElement("small");
        strong.textContent = row.standing[0];
        small.className = "muted";
        small.textContent = "(" + row.standing[2] + ")";
        cell.append("needs ", strong, row.standing[1] ? " " + row.standing[1] + " " : " ", small);
      } else {
        cell.textContent = row.standing[0];
      }
    });
    fillRounds(part, r.rounds || []);
    setText(part, "#total-votes", r.total);
    setText(part, ".total-note", r.total_note);

    show(part.querySelector(".left-known"), r.left_known);
    show(part.querySelector(".left-unknown"), !r.left_known);
    setText(part, "#votes-left", r.left);
    setText(part, ".left-ballots", r.left_ballots);
    show(part.querySelector(".left-ballots-text"), !!r.left_ballots);
    setText(part, ".source", r.left_source);
    show(setText(part, ".left-named", r.left_named), !!r.left_named);
    part.querySelectorAll(".left-note").forEach(function (el) { el.textContent = r.left_note; });

    var outcomes = part.querySelector("section.outcomes");
    show(outcomes, r.outcomes.length > 0);
    var list = outcomes.querySelector("ul");
    list.replaceChildren();
    r.outcomes.forEach(function (o) {
      var li = document.createElement("li"), strong = document.createElement("strong");
      strong.textContent = o[1];
      li.append(o[0] + ": ", strong);
      list.appendChild(li);
    });
    setText(outcomes, ".model", r.model);

    var shown = 0;
    part.querySelectorAll(".ledger-table tbody tr").forEach(function (tr) {
      var visible = parseInt(tr.dataset.release, 10) <= r.release;
      tr.hidden = !visible;
      if (visible) shown++;
    });
    show(part.querySelector(".no-calls"), shown === 0);
    show(part.querySelector("section.ledger .scroll"), shown > 0);

    var problems = part.querySelector("section.problems");
    show(problems, r.problems.length > 0);
    var plist = problems.querySelector("ul");
    plist.replaceChildren();
    r.problems.forEach(function (p) {
      var li = document.createElement("li"), code = document.createElement("code");
      code.textContent = p[0];
      li.append(code, " " + p[1]);
      plist.appendChild(li);
    });
  }

  function initSlider() {
    var slider = $("release-slider");
    if (!slider || slider.dataset.ready) return;
    slider.dataset.ready = "1";
    slider.addEventListener("input", function () { showRelease(parseInt(slider.value, 10)); });
    $("to-latest").addEventListener("click", function () {
      showRelease(parseInt($("live").dataset.latest, 10));
    });
    document.querySelectorAll("details.releases a[data-release]").forEach(function (a) {
      a.addEventListener("click", function (e) {
        e.preventDefault();
        showRelease(parseInt(a.dataset.release, 10));
      });
    });
    var m = /^#release-(\d+)$/.exec(location.hash);
    if (m) showRelease(parseInt(m[1], 10));
  }

  /* --- live updates ---------------------------------------------------------------------- */
  function onRelease() {
    // The page is pinned to an earlier release: say that a new one is in, keep the view.
    if (!following() && $("pending")) $("pending").hidden = false;
  }

  function init() {
    initFilter();
    applyFilter();
    initSlider();
    drawCharts();
  }

  document.addEventListener("DOMContentLoaded", function () {
    init();
    var body = document.body;
    body.addEventListener("htmx:afterSettle", init);
    body.addEventListener("htmx:sseOpen", function () {
      var c = $("connection");
      if (c) { c.textContent = "live"; c.className = "connection on"; }
    });
    body.addEventListener("htmx:sseError", function () {
      var c = $("connection");
      if (c) { c.textContent = "reconnecting"; c.className = "connection off"; }
    });
    body.addEventListener("htmx:sseMessage", function (e) {
      if (e.detail && e.detail.type === "release") onRelease();
    });
  });
})();
