/* Charts drawn from their tables: an enhancement of includes/_chart.html, which says everything without it.
 *
 * For each figure.chart-block[data-chart] of the page, this script reads the table (the categories from the
 * row headers, one series per column; each cell's data-value holds plain digits, empty for a gap), draws a
 * bar, line or stacked bar chart with Chart.js on a canvas placed before the table, and folds the table into
 * its « Voir les données » disclosure (a <details>: reachable and opened from the keyboard, announced by
 * screen readers). Nothing else changes: if Chart.js is missing, the table is empty or drawing fails, the
 * table stays open as it came from the server.
 *
 * - A gap is a gap: a missing bar, a broken line (spanGaps: false); never drawn as a zero.
 * - The canvas is role="img", named by the figure's data-label, which points to the table.
 * - Series differ by more than colour: dash patterns and point shapes for lines, fill patterns for bars,
 *   and a legend in the series' order; colours keep a 3:1 contrast with the white background.
 * - A column headed data-drawn="false" stays in the table only. The annotation column (data-annotation: the
 *   town's events of a day or week) marks its rows with a band and a diamond, its text in the tooltip.
 * - Numbers are formatted in the page's language (<html lang>); no animation when the visitor asked for
 *   reduced motion.
 * - No inline script and no style attribute in the markup: Chart.js sizes the canvas through the CSS
 *   object model, which the Content-Security-Policy does not restrict.
 * Text is read from the page and set as text, never as HTML.
 */
(function () {
  "use strict";

  if (!window.Chart || !document.querySelectorAll || !window.Intl) {
    return;
  }
  var Chart = window.Chart;
  var lang = document.documentElement.lang || "fr";
  var french = lang.slice(0, 2) === "fr";
  var reducedMotion = !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  var TEXT = "#1b1b1b";
  var GRID = "#d9d9d9";
  // Contrast with white of 4.5:1 or more (WCAG asks 3:1 for graphics); neighbours differ in hue and lightness.
  var COLOURS = ["#0b4f9c", "#b34700", "#2a6e2f", "#7a3d9e", "#a3195b", "#4d4d4d"];
  var DASHES = [[], [8, 4], [2, 3], [12, 4, 2, 4], [5, 5], [1, 4]];
  var POINTS = ["circle", "rect", "triangle", "rectRot", "crossRot", "star"];
  var WRAP = 18; // characters a line of a horizontal bar's name

  Chart.defaults.color = TEXT;
  Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 13;

  function text(element) {
    return (element.textContent || "").replace(/\s+/g, " ").trim();
  }

  // A cell's value: its data-value, else its text read in the page's language; null for a gap.
  function valueOf(cell) {
    var raw = cell.getAttribute("data-value");
    if (raw === null) {
      raw = text(cell).replace(/[\s\u00a0\u202f]/g, "");
      raw = french ? raw.replace(/\./g, "").replace(",", ".") : raw.replace(/,/g, "");
      raw = raw.replace("\u2212", "-");
    }
    if (raw === "" || raw === "—" || raw === "-") {
      return null;
    }
    var number = Number(raw);
    return isFinite(number) ? number : null;
  }

  // The series drawn (columns without data-drawn="false"), and the annotation column's text per row (the
  // town's events: "" for none), marked on the chart.
  function readTable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    var series = [];
    var annotated = -1;
    for (var column = 1; column < headers.length; column++) {
      if (headers[column].hasAttribute("data-annotation")) {
        annotated = column;
      } else if (headers[column].getAttribute("data-drawn") !== "false") {
        series.push({
          label: text(headers[column]),
          decimals: parseInt(headers[column].getAttribute("data-decimals"), 10) || 0,
          column: column,
          values: [],
        });
      }
    }
    var categories = [];
    var notes = [];
    var rows = table.tBodies.length ? table.tBodies[0].rows : [];
    for (var r = 0; r < rows.length; r++) {
      categories.push(text(rows[r].cells[0]));
      notes.push(annotated > 0 && rows[r].cells[annotated] ? text(rows[r].cells[annotated]) : "");
      for (var s = 0; s < series.length; s++) {
        var cell = rows[r].cells[series[s].column];
        series[s].values.push(cell ? valueOf(cell) : null);
      }
    }
    return {
      categories: categories,
      series: series,
      notes: notes,
      noteLabel: annotated > 0 ? text(headers[annotated]) : "",
    };
  }

  // The annotated categories marked on the chart: a pale band behind them and a dark diamond above them (a
  // shape, not only a colour); their text is in the tooltip and in the table's last column.
  var MARK = "#5c4400";
  var BAND = "rgba(242, 166, 90, 0.22)";
  function annotationMarks(notes, horizontal) {
    return {
      id: "annotationMarks",
      beforeDatasetsDraw: function (chart) {
        var area = chart.chartArea;
        var scale = horizontal ? chart.scales.y : chart.scales.x;
        var step = notes.length > 1 ? Math.abs(scale.getPixelForValue(1) - scale.getPixelForValue(0)) : 40;
        var pen = chart.ctx;
        pen.save();
        notes.forEach(function (note, index) {
          if (!note) {
            return;
          }
          var middle = scale.getPixelForValue(index);
          pen.fillStyle = BAND;
          if (horizontal) {
            pen.fillRect(area.left, middle - step / 2, area.right - area.left, step);
          } else {
            pen.fillRect(middle - step / 2, area.top, step, area.bottom - area.top);
          }
        });
        pen.restore();
      },
      afterDatasetsDraw: function (chart) {
        var area = chart.chartArea;
        var scale = horizontal ? chart.scales.y : chart.scales.x;
        var pen = chart.ctx;
        var size = 5;
        pen.save();
        pen.fillStyle = MARK;
        notes.forEach(function (note, index) {
          if (!note) {
            return;
          }
          var middle = scale.getPixelForValue(index);
          var x = horizontal ? area.right - size - 1 : middle;
          var y = horizontal ? middle : area.top + size + 1;
          pen.beginPath();
          pen.moveTo(x, y - size);
          pen.lineTo(x + size, y);
          pen.lineTo(x, y + size);
          pen.lineTo(x - size, y);
          pen.closePath();
          pen.fill();
        });
        pen.restore();
      },
    };
  }

  // A long name on several lines (at spaces), so that a horizontal bar chart keeps room for its bars.
  function wrap(label, width) {
    if (label.length <= width) {
      return label;
    }
    var lines = [""];
    label.split(" ").forEach(function (word) {
      var last = lines.length - 1;
      if (lines[last] && (lines[last] + " " + word).length > width) {
        lines.push(word);
      } else {
        lines[last] = lines[last] ? lines[last] + " " + word : word;
      }
    });
    return lines;
  }

  function hasValues(series) {
    return series.some(function (one) {
      return one.values.some(function (value) {
        return value !== null;
      });
    });
  }

  // A fill for bars: the colour, with white stripes, dots or hatching from the second series on.
  function barFill(colour, index) {
    if (index === 0 || !document.createElement("canvas").getContext) {
      return colour;
    }
    var size = 8;
    var tile = document.createElement("canvas");
    tile.width = tile.height = size;
    var pen = tile.getContext("2d");
    pen.fillStyle = colour;
    pen.fillRect(0, 0, size, size);
    pen.fillStyle = pen.strokeStyle = "#ffffff";
    pen.lineWidth = 1.5;
    switch (index % 5) {
      case 1: // diagonal stripes
        pen.beginPath();
        pen.moveTo(0, size);
        pen.lineTo(size, 0);
        pen.moveTo(-size / 2, size / 2);
        pen.lineTo(size / 2, -size / 2);
        pen.moveTo(size / 2, size * 1.5);
        pen.lineTo(size * 1.5, size / 2);
        pen.stroke();
        break;
      case 2: // dots
        pen.beginPath();
        pen.arc(size / 2, size / 2, 1.6, 0, 2 * Math.PI);
        pen.fill();
        break;
      case 3: // horizontal lines
        pen.fillRect(0, size / 2 - 1, size, 2);
        break;
      case 4: // vertical lines
        pen.fillRect(size / 2 - 1, 0, 2, size);
        break;
      default: // cross-hatching
        pen.fillRect(0, size / 2 - 1, size, 2);
        pen.fillRect(size / 2 - 1, 0, 2, size);
    }
    return pen.createPattern(tile, "repeat") || colour;
  }

  function numberFormat(decimals, unit) {
    var options = { minimumFractionDigits: decimals, maximumFractionDigits: decimals };
    if (unit === "€") {
      options.style = "currency";
      options.currency = "EUR";
    }
    var format = new Intl.NumberFormat(lang, options);
    var suffix = unit && unit !== "€" ? (unit === "%" && !french ? "%" : "\u00a0" + unit) : "";
    return function (value) {
      return value === null || value === undefined ? "—" : format.format(value) + suffix;
    };
  }

  function configure(figure, data) {
    var kind = figure.getAttribute("data-chart");
    var unit = figure.getAttribute("data-unit") || "";
    var horizontal = figure.getAttribute("data-orientation") === "horizontal";
    var stacked = kind === "stacked";
    var line = kind === "line";
    var formats = data.series.map(function (series) {
      return numberFormat(series.decimals, unit);
    });
    var tick = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
    var whole = data.series.every(function (series) {
      return series.decimals === 0;
    });
    var datasets = data.series.map(function (series, index) {
      var colour = COLOURS[index % COLOURS.length];
      var dataset = { label: series.label, data: series.values, borderColor: colour };
      if (line) {
        dataset.backgroundColor = colour;
        dataset.borderWidth = 2.5;
        dataset.borderDash = DASHES[index % DASHES.length];
        dataset.pointStyle = POINTS[index % POINTS.length];
        dataset.pointRadius = 3.5;
        dataset.pointHoverRadius = 5;
        dataset.spanGaps = false;
        dataset.fill = false;
      } else {
        dataset.backgroundColor = barFill(colour, index);
        dataset.borderWidth = 1.5;
        dataset.maxBarThickness = 48;
      }
      return dataset;
    });
    var separator = french ? "\u00a0: " : ": ";
    var valueAxis = {
      beginAtZero: true,
      stacked: stacked,
      grid: { color: GRID },
      ticks: {
        precision: whole ? 0 : undefined, // counts: whole numbers on the axis, even when all are small
        callback: function (value) {
          return tick.format(value);
        },
      },
    };
    if (unit) {
      valueAxis.title = { display: true, text: unit };
    }
    // Bars side by side may skip some dates on their axis; a ranking names every one of its bars.
    var categoryAxis = { stacked: stacked, grid: { display: false }, ticks: { autoSkip: !horizontal } };
    var labels = horizontal
      ? data.categories.map(function (label) {
          return wrap(label, WRAP);
        })
      : data.categories;
    var marked = data.notes.some(function (note) {
      return note !== "";
    });
    return {
      type: line ? "line" : "bar",
      data: { labels: labels, datasets: datasets },
      plugins: marked ? [annotationMarks(data.notes, horizontal)] : [],
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reducedMotion ? false : { duration: 400 },
        locale: lang,
        indexAxis: horizontal ? "y" : "x",
        interaction: { mode: "index", intersect: false, axis: horizontal ? "y" : "x" },
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        plugins: {
          // The legend names the series in order; clicking it hides nothing (the table would disagree).
          legend: {
            display: datasets.length > 1,
            onClick: function () {},
            labels: { usePointStyle: line, boxWidth: 24, boxHeight: 12 },
          },
          tooltip: {
            callbacks: {
              title: function (items) {
                return items.length ? data.categories[items[0].dataIndex] : "";
              },
              label: function (context) {
                return context.dataset.label + separator + formats[context.datasetIndex](context.raw);
              },
              footer: function (items) {
                var note = items.length ? data.notes[items[0].dataIndex] : "";
                return note ? "\u25c6 " + data.noteLabel + separator + note : "";
              },
            },
          },
        },
      },
    };
  }

  function draw(figure) {
    var table = figure.querySelector("table");
    if (!table) {
      return;
    }
    var data = readTable(table);
    if (!data.categories.length || !data.series.length || !hasValues(data.series)) {
      return; // nothing to draw: the table (and the page's "no data" sentence) says so
    }
    var details = figure.querySelector("details.chart-data");
    var box = document.createElement("div");
    box.className = "chart-canvas";
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", figure.getAttribute("data-label") || text(table.caption || figure));
    box.appendChild(canvas);
    figure.insertBefore(box, details || table.parentNode);
    if (figure.getAttribute("data-orientation") === "horizontal") {
      // Room for each bar and its name (on up to three lines), and for the axis and legend; set through the
      // CSS object model, which the CSP allows.
      var rows = data.categories.reduce(function (total, label) {
        var lines = wrap(label, WRAP);
        return total + Math.max(1.8, 1.1 * (typeof lines === "string" ? 1 : lines.length) + 0.5);
      }, 0);
      box.style.height = Math.max(7, rows + 4) + "rem";
    }
    try {
      new Chart(canvas, configure(figure, data));
    } catch (error) {
      figure.removeChild(box);
      throw error;
    }
    figure.classList.add("chart-drawn");
    if (details) {
      details.open = false;
    }
  }

  var figures = document.querySelectorAll("figure.chart-block[data-chart]");
  for (var i = 0; i < figures.length; i++) {
    try {
      draw(figures[i]);
    } catch (error) {
      if (window.console) {
        window.console.error(error);
      }
    }
  }

  // On paper, every table is printed under its chart: open the folded ones, then fold them back.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details.chart-data"), function (details) {
      return !details.open;
    });
    opened.forEach(function (details) {
      details.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) {
      details.open = false;
    });
    opened = [];
  });
})();
