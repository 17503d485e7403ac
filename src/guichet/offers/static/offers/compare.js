/* The comparison page: weights that always add up to 100, the ranking and the chart recomputed as they move.

   Data come from the page (json_script "comparison-data"): each offer's scaled value (0..1) on each
   criterion, which do not depend on the weights, so a score is the sum of weight x scaled value, exactly
   as the server computes it (the scaled values are read on scales fixed with the call, so they never
   depend on the other offers). Scores are compared on the server's grid (floor(score x 10^12 + 0.5)); equal
   ones follow the published rule (net cost to the cent, then more job seekers, then earlier availability,
   then the offer's key); the server recomputes the same on "Recompute" and on the decision. Weights are kept in tenths of a percentage point, as whole numbers, so that they add up to
   exactly 1000 tenths whatever the moves. Without this script the page's form still works (a GET). */
(function () {
  "use strict";
  var source = document.getElementById("comparison-data");
  var form = document.getElementById("weights-form");
  var table = document.getElementById("ranking");
  if (!source || !form || !table) { return; }
  var data = JSON.parse(source.textContent);
  var criteria = data.criteria;
  var count = criteria.length;
  var TOTAL = 1000;
  var SVG = "http://www.w3.org/2000/svg";

  var whole = new Intl.NumberFormat(data.language, { maximumFractionDigits: 0 });
  var oneDecimal = new Intl.NumberFormat(data.language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  function percent(tenths) {
    var text = tenths % 10 === 0 ? whole.format(tenths / 10) : oneDecimal.format(tenths / 10);
    return data.text.percent.replace("{n}", text);
  }
  function points(score) { return oneDecimal.format(score * 100); }
  function toTenths(value) { return Math.max(0, Math.min(TOTAL, Math.round(value * 10))); }
  /* A figure as the reader types it: "12,5" or "12.5", spaces ignored; NaN when it is not a number. */
  function parse(text) {
    var cleaned = String(text).replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
    return /^\d+(\.\d*)?$|^\.\d+$/.test(cleaned) ? parseFloat(cleaned) : NaN;
  }

  function byCriterion(selector) {
    return criteria.map(function (c) { return form.querySelector(selector + '[data-criterion="' + c.key + '"]'); });
  }
  var inputs = byCriterion("input.weight");
  var sliders = byCriterion("input[type=range]");
  var decide = document.getElementById("decide-form");
  var hidden = criteria.map(function (c) {
    return decide ? decide.querySelector('input[data-criterion="' + c.key + '"]') : null;
  });
  var totalOutput = document.getElementById("weights-total");
  var live = document.getElementById("ranking-live");
  var stale = document.querySelectorAll(".stale");
  var initial = data.weights.map(toTenths);
  var weights = initial.slice();
  var firstKey = data.candidates.length ? data.candidates[0].key : null;

  /* Split `amount` tenths in proportion to `shares` (whole numbers, largest remainder; equal remainders
     go to the earlier criterion, as on the server). */
  function apportion(amount, shares) {
    var sum = shares.reduce(function (a, b) { return a + b; }, 0);
    var exact = shares.map(function (s) { return sum > 0 ? s * amount / sum : amount / shares.length; });
    var result = exact.map(Math.floor);
    var left = amount - result.reduce(function (a, b) { return a + b; }, 0);
    var order = exact.map(function (value, i) { return i; }).sort(function (a, b) {
      return (exact[b] - result[b]) - (exact[a] - result[a]) || a - b;
    });
    for (var k = 0; k < left; k += 1) { result[order[k]] += 1; }
    return result;
  }

  /* Criterion `index` takes `tenths`; the others share the rest in proportion to their weights. */
  function setWeight(index, tenths) {
    var others = [];
    for (var i = 0; i < count; i += 1) { if (i !== index) { others.push(weights[i]); } }
    var shared = apportion(TOTAL - tenths, others);
    var next = [];
    for (var j = 0, k = 0; j < count; j += 1) { next.push(j === index ? tenths : shared[k++]); }
    weights = next;
  }

  /* The published method: weights normalised to sum 1, score = sum of weight x scaled value, criterion
     after criterion in the method's order, clipped to [0, 1]; then the tie rule. */
  function ranking() {
    var raw = weights.map(function (t) { return t / 10 / 100; });
    var sum = 0;
    for (var i = 0; i < count; i += 1) { sum += raw[i]; }
    var w = raw.map(function (value) { return value / sum; });
    var rows = data.candidates.map(function (candidate) {
      var score = 0;
      for (var k = 0; k < count; k += 1) { score = score + w[k] * candidate.normalised[k]; }
      return {
        candidate: candidate,
        score: Math.min(1, Math.max(0, score)),
        parts: candidate.normalised.map(function (value, k) { return w[k] * value; })
      };
    });
    rows.forEach(function (row) { row.grid = Math.floor(row.score * data.grid + 0.5); });
    function pool(row) { return row.candidate.seekers === null ? Infinity : -row.candidate.seekers; }
    var byScore = rows.slice().sort(function (a, b) {
      return b.grid - a.grid || a.candidate.cents - b.candidate.cents || pool(a) - pool(b) ||
        a.candidate.available - b.candidate.available ||
        (a.candidate.key < b.candidate.key ? -1 : a.candidate.key > b.candidate.key ? 1 : 0);
    });
    var sizes = {};
    byScore.forEach(function (row) { sizes[row.grid] = (sizes[row.grid] || 0) + 1; });
    byScore.forEach(function (row, i) { row.rank = i + 1; row.tied = sizes[row.grid] > 1; });
    return byScore;
  }

  function svg(name, attributes, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /* Stacked horizontal bars: one per offer, one segment per criterion (presentation attributes only: the
     page's content security policy refuses inline styles). */
  function drawChart(rows) {
    var figure = document.getElementById("score-chart");
    if (!figure) { return; }
    var labelWidth = 190, barWidth = 420, rowHeight = 44, top = 52, width = labelWidth + barWidth + 60;
    var height = top + rows.length * rowHeight + 30;
    var chart = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", "class": "chart-svg",
      "aria-label": data.text.chart_label });
    var legendX = 0, legendY = 12;
    criteria.forEach(function (c) {
      var label = c.label;
      var itemWidth = 24 + label.length * 7.5;
      if (legendX + itemWidth > width) { legendX = 0; legendY += 18; }
      chart.appendChild(svg("rect", { x: legendX, y: legendY - 9, width: 11, height: 11, fill: c.colour }));
      chart.appendChild(svg("text", { x: legendX + 15, y: legendY, "font-size": 13, fill: "#1d2433" }, label));
      legendX += itemWidth;
    });
    top = legendY + 22;
    height = top + rows.length * rowHeight + 30;
    chart.setAttribute("viewBox", "0 0 " + width + " " + height);
    for (var tick = 0; tick <= 100; tick += 20) {
      var x = labelWidth + barWidth * tick / 100;
      chart.appendChild(svg("line", { x1: x, x2: x, y1: top - 4, y2: top + rows.length * rowHeight,
        stroke: "#d5dae3", "stroke-width": 1 }));
      chart.appendChild(svg("text", { x: x, y: top + rows.length * rowHeight + 16, "font-size": 11,
        "text-anchor": "middle", fill: "#555f70" }, whole.format(tick)));
    }
    rows.forEach(function (row, i) {
      var y = top + i * rowHeight;
      var name = row.rank + ". " + row.candidate.name;
      var shown = name.length > 26 ? name.slice(0, 25) + "…" : name;
      var label = svg("text", { x: labelWidth - 8, y: y + rowHeight / 2 + 5, "font-size": 14, "text-anchor": "end",
        fill: "#1d2433" }, shown);
      label.appendChild(svg("title", {}, name));
      chart.appendChild(label);
      var x = labelWidth;
      row.parts.forEach(function (part, k) {
        var w = barWidth * part;
        if (w <= 0) { return; }
        var rect = svg("rect", { x: x, y: y + 6, width: w, height: rowHeight - 12, fill: criteria[k].colour,
          stroke: "#ffffff", "stroke-width": 0.8 });
        rect.appendChild(svg("title", {}, criteria[k].label + ": " + points(part)));
        chart.appendChild(rect);
        x += w;
      });
      chart.appendChild(svg("text", { x: x + 6, y: y + rowHeight / 2 + 5, "font-size": 14, "font-weight": 700,
        fill: "#1d2433" }, points(row.score)));
    });
    var old = figure.querySelector(".chart-image, .chart-svg");
    if (old) { figure.replaceChild(chart, old); } else { figure.insertBefore(chart, figure.firstChild); }
  }

  function showRanking(rows) {
    var bodies = {};
    Array.prototype.forEach.call(table.tBodies, function (body) { bodies[body.getAttribute("data-key")] = body; });
    rows.forEach(function (row) {
      var body = bodies[row.candidate.key];
      if (!body) { return; }
      body.querySelector(".rank-number").textContent = String(row.rank);
      body.querySelector(".score").textContent = points(row.score);
      body.querySelector(".badge.tied").hidden = !row.tied;
      body.classList.toggle("moved", row.rank !== row.candidate.rank);
      table.appendChild(body);
    });
    if (rows.length && rows[0].candidate.key !== firstKey && live) {
      firstKey = rows[0].candidate.key;
      live.hidden = false;
      live.textContent = data.text.first.replace("{name}", rows[0].candidate.name);
    }
  }

  function showWeights(except) {
    weights.forEach(function (tenths, i) {
      var value = (tenths / 10).toFixed(1);
      if (inputs[i] && inputs[i] !== except) { inputs[i].value = oneDecimal.format(tenths / 10); }
      if (sliders[i] && sliders[i] !== except) { sliders[i].value = value; }
      if (hidden[i]) { hidden[i].value = value; }
    });
    var sum = weights.reduce(function (a, b) { return a + b; }, 0);
    totalOutput.textContent = percent(sum);
    totalOutput.classList.toggle("off", sum !== TOTAL);
    var moved = weights.some(function (t, i) { return t !== initial[i]; });
    Array.prototype.forEach.call(stale, function (node) { node.hidden = !moved; });
  }

  function update(except) {
    showWeights(except);
    var rows = ranking();
    showRanking(rows);
    drawChart(rows);
  }

  sliders.forEach(function (slider, i) {
    if (!slider) { return; }
    slider.addEventListener("input", function () {
      setWeight(i, toTenths(slider.valueAsNumber));
      update(slider);
    });
  });
  inputs.forEach(function (input, i) {
    if (!input) { return; }
    // While typing, the total shows what the figures add up to; once the figure is entered, the others
    // make room for it.
    input.addEventListener("input", function () {
      var sum = 0;
      inputs.forEach(function (other, k) {
        var value = parse(other.value);
        sum += isNaN(value) ? (k === i ? 0 : weights[k]) : toTenths(value);
      });
      totalOutput.textContent = percent(sum);
      totalOutput.classList.toggle("off", sum !== TOTAL);
    });
    input.addEventListener("change", function () {
      var value = parse(input.value);
      if (!isNaN(value)) { setWeight(i, toTenths(value)); }
      update(null);
    });
  });
  Array.prototype.forEach.call(form.querySelectorAll("button[data-preset]"), function (button) {
    button.addEventListener("click", function (event) {
      var preset = data.presets[button.getAttribute("data-preset")];
      if (!preset) { return; }
      event.preventDefault();
      weights = apportion(TOTAL, preset.map(toTenths));
      update(null);
    });
  });
  // Enter in a figure recomputes on the server, as without this script, with the figures made to fit.
  form.addEventListener("submit", function () {
    inputs.forEach(function (input, i) { if (input) { input.value = oneDecimal.format(weights[i] / 10); } });
  });

  Array.prototype.forEach.call(document.querySelectorAll(".slider-cell"), function (cell) { cell.hidden = false; });
  update(null);
}());
