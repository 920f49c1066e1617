// Draws corridor's GeoJSON (the corridor-data element) with Leaflet; see corridor/render/map.py.
// Popups are built with textContent, so data can never inject markup.
(function () {
  var data = JSON.parse(document.getElementById('corridor-data').textContent);
  var C = JSON.parse(document.getElementById('corridor-colours').textContent);
  var map = L.map('map', {preferCanvas: false});
  L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
    maxZoom: 18, attribution: '&copy; OpenStreetMap contributors'}).addTo(map);
  var lines = 0, markers = 0, bounds = [];
  function popup(lines_) {
    var div = document.createElement('div');
    lines_.forEach(function (t, i) {
      var p = document.createElement(i === 0 ? 'b' : 'div');
      p.textContent = t; div.appendChild(p);
    });
    return div;
  }
  function num(x, d) {
    return x === null || x === undefined ? '-' : Number(x).toLocaleString('en-US',
      {maximumFractionDigits: d === undefined ? 1 : d});
  }
  function dashed(status) { return status && status !== 'operational' ? '8 6' : null; }
  function marker(latlng, colour, radius, text) {
    var m = L.circleMarker(latlng, {radius: radius, color: '#ffffff', weight: 1.5,
      fillColor: colour, fillOpacity: 0.95, className: 'corridor-marker'}).addTo(map);
    m.bindPopup(popup(text)); markers += 1; bounds.push(latlng); return m;
  }
  function line(coords, colour, weight, status, text, cls) {
    var ll = coords.map(function (c) { return [c[1], c[0]]; });
    var pl = L.polyline(ll, {color: colour, weight: weight, opacity: 0.9,
      dashArray: dashed(status), className: cls}).addTo(map);
    pl.bindPopup(popup(text)); lines += 1;
    ll.forEach(function (x) { bounds.push(x); });
    return ll;
  }
  function mid(ll) { return ll[Math.floor((ll.length - 1) / 2)]; }
  data.features.forEach(function (f) {
    var p = f.properties, g = f.geometry;
    if (p.feature === 'leg') {
      var who = (p.port ? '[' + p.port + '] ' : '') + (p.from_name || p.from) + ' \u2192 ' + (p.to_name || p.to);
      var figs = num(p.distance_km, 0) + ' km, ' + num(p.hours) + ' h, USD ' + num(p.cost_usd, 0);
      if (p.kind === 'link') {
        line(g.coordinates, C[p.mode] || '#555', 4, p.status, [who, p.label, figs], 'corridor-leg corridor-' + p.mode);
      } else if (p.kind === 'crossing') {
        var ll = line(g.coordinates, C.crossing, 6, p.status, [who, p.label, figs], 'corridor-leg corridor-crossing');
        marker(mid(ll), C.crossing, 7, ['Border: ' + (p.name || p.ref || ''), 'dwell ' + num(p.hours) + ' h, fees USD ' + num(p.cost_usd, 0)]);
      } else {
        var c = g.coordinates[0], at = [c[1], c[0]];
        var colour = p.kind === 'handling' || p.kind === 'transshipment' ? C.port : C.transfer;
        var what = p.kind === 'handling' ? 'Port handling at ' : (p.kind === 'transshipment' ? 'Transshipment at ' : 'Transfer at ');
        marker(at, colour, 7, [what + (p.from_name || p.from), p.label, num(p.hours) + ' h, USD ' + num(p.cost_usd, 0)]);
      }
    } else if (p.feature === 'link') {
      line(g.coordinates, C[p.mode] || '#555', p.mode === 'sea' ? 2 : 3, p.status,
        [(p.name || p.id) + ' (' + p.mode + (p.gauge_mm ? ' ' + p.gauge_mm + ' mm' : '') + ')',
         num(p.distance_km, 0) + ' km, ' + p.status.replace(/_/g, ' ')], 'corridor-link corridor-' + p.mode);
    } else if (p.feature === 'crossing') {
      var lc = line(g.coordinates, C.crossing, 5, p.status, [p.name], 'corridor-crossing');
      marker(mid(lc), C.crossing, 6, [p.name + ' (' + p.status.replace(/_/g, ' ') + ')',
        p.a_country + '\u2192' + p.b_country + ': dwell ' + num(p.a_to_b.hours) + ' h, fees USD ' + num(p.a_to_b.cost_usd, 0),
        p.b_country + '\u2192' + p.a_country + ': dwell ' + num(p.b_to_a.hours) + ' h, fees USD ' + num(p.b_to_a.cost_usd, 0)]);
    } else if (p.feature === 'port') {
      var t = [(p.rank ? '#' + p.rank + ' ' : '') + p.name + ' (' + p.id + ')'];
      if (p.handling) { t.push('handling ' + num(p.handling.hours) + ' h, USD ' + num(p.handling.cost_usd, 0) + ' per TEU'); }
      if (p.totals) { t.push(num(p.totals.days) + ' days, USD ' + num(p.totals.cost_usd, 0) + ', ' + num(p.totals.distance_km, 0) + ' km'); }
      if (p.reachable === false) { t.push('unreachable: ' + (p.reason || '')); }
      var m = marker([g.coordinates[1], g.coordinates[0]], p.reachable === false ? C.place : C.port, 8, t);
      if (p.rank) { m.bindTooltip(String(p.rank), {permanent: true, direction: 'top', className: 'corridor-rank'}); }
    } else if (p.feature === 'place') {
      marker([g.coordinates[1], g.coordinates[0]], C.place, 3, [p.name + ' (' + p.id + ')', p.kind ? p.kind.replace(/_/g, ' ') : p.country]);
    }
  });
  if (bounds.length) { map.fitBounds(bounds, {paddingTopLeft: [20, 20], paddingBottomRight: [340, 20]}); } else { map.setView([35, 65], 4); }
  document.getElementById('corridor-status').textContent = JSON.stringify(
    {lines: lines, markers: markers, features: data.features.length});
})();
