// Dashboards: draw each chart from its JSON (json_script) with ECharts; no inline scripts.
// Canvas renderer and rich-text tooltips: neither writes inline style attributes, which the
// strict CSP would refuse. The table view under each chart holds the same numbers.
(function () {
  'use strict';
  const PALETTE = ['#1d4ed8', '#b45309', '#047857', '#7c3aed', '#be123c', '#0e7490', '#4d7c0f', '#a21caf'];

  function baseOption(data) {
    return {
      color: PALETTE,
      aria: { enabled: true },
      animation: false,
      tooltip: { renderMode: 'richText', trigger: data.kind === 'heatmap' ? 'item' : 'axis' },
      grid: { left: 8, right: 16, top: data.series.length > 1 ? 32 : 12, bottom: 8, containLabel: true },
      legend: data.series.length > 1 && data.kind !== 'heatmap' ? { top: 0, type: 'scroll' } : undefined,
    };
  }

  function short(text) {
    return text.length > 24 ? text.slice(0, 23) + '…' : text;
  }

  function option(data) {
    const opt = baseOption(data);
    if (data.kind === 'heatmap') {
      const cells = [];
      let max = 1;
      data.series.forEach(function (s, x) {
        s.values.forEach(function (v, y) {
          cells.push([x, y, v]);
          max = Math.max(max, v || 0);
        });
      });
      const overload = data.marks && data.marks.overload;
      opt.grid.bottom = 48;
      opt.xAxis = { type: 'category', data: data.series.map(function (s) { return s.name; }), axisLabel: { interval: 0, rotate: data.series.length > 7 ? 45 : 0 } };
      opt.yAxis = { type: 'category', data: data.categories.map(short), inverse: true };
      opt.visualMap = overload
        ? { type: 'piecewise', show: true, orient: 'horizontal', left: 'center', bottom: 0,
            pieces: [{ value: 0, color: '#f1f5f9', label: 'none' }, { gt: 0, lte: overload, color: '#93c5fd', label: '1–' + overload },
                     { gt: overload, color: '#b91c1c', label: 'over ' + overload }] }
        : { min: 0, max: max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#f1f5f9', '#1d4ed8'] } };
      opt.series = [{ type: 'heatmap', data: cells, label: { show: true } }];
      return opt;
    }
    const horizontal = data.kind === 'hbar';
    const categoryAxis = { type: 'category', data: data.categories.map(short), inverse: horizontal, axisLabel: { interval: 0, rotate: horizontal || data.categories.length < 5 ? 0 : 30 } };
    const valueAxis = { type: 'value', max: data.unit === '%' ? 100 : undefined };
    opt.xAxis = horizontal ? valueAxis : categoryAxis;
    opt.yAxis = horizontal ? categoryAxis : valueAxis;
    opt.series = data.series.map(function (s) {
      const line = data.kind === 'line';
      const series = { name: s.name, type: line ? 'line' : 'bar', data: s.values, stack: data.kind === 'stacked' ? 'all' : undefined };
      if (line && data.marks && data.marks.due) {
        series.markLine = { symbol: 'none', data: [{ xAxis: data.marks.due, name: 'Planned due' }], label: { formatter: 'Due' } };
      }
      return series;
    });
    return opt;
  }

  function height(data) {
    if (data.kind === 'hbar' || data.kind === 'heatmap') {
      return Math.max(220, 28 * data.categories.length + 90);
    }
    return 280;
  }

  function draw(el) {
    const source = document.getElementById(el.dataset.chart);
    if (!source || !window.echarts) return;
    const data = JSON.parse(source.textContent);
    el.style.height = height(data) + 'px';
    const chart = window.echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption(option(data));
    if (data.links && data.links.length) {
      chart.on('click', function (params) {
        const index = data.kind === 'heatmap' ? params.data[1] : params.dataIndex;
        if (data.links[index]) window.location.assign(data.links[index]);
      });
    }
    el.dataset.rendered = 'true';
    return chart;
  }

  function start() {
    const charts = Array.from(document.querySelectorAll('[data-chart]')).map(draw).filter(Boolean);
    window.addEventListener('resize', function () {
      charts.forEach(function (c) { c.resize(); });
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
