/// The pages' stylesheet and the board's script, served from the server itself (the Content
/// Security Policy allows no inline script or style and nothing from elsewhere).
enum PageAssets {
    static let css = """
    *{box-sizing:border-box}
    body{margin:0;font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;font-size:15px;color:#1d2330;background:#f3f5f8}
    header{background:#8b1a1a;color:#fff;padding:8px 16px;display:flex;flex-wrap:wrap;align-items:center;gap:16px}
    header h1{font-size:20px;margin:0}
    nav a{color:#fff;margin-right:12px;text-decoration:none}
    main{padding:12px 16px}
    .summary{font-size:16px;margin:4px 0 10px}
    .windows{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:8px}
    .window{background:#fff;border-radius:6px;padding:6px 10px;border-top:4px solid #3a7d44}
    .window.has-yellow{border-top-color:#e0a800}
    .window.has-red{border-top-color:#c62828}
    .window h2{font-size:15px;margin:2px 0}
    .counts{margin:0 0 4px;color:#555;font-size:13px}
    .window ul{list-style:none;margin:0;padding:0;font-size:13px}
    .case{display:flex;gap:6px;padding:2px 0;border-bottom:1px solid #eee}
    .case .item{flex:1;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;color:#444}
    .case .number{font-family:monospace;white-space:nowrap}
    .case .left{white-space:nowrap}
    .mark-red .left{color:#fff;background:#c62828;padding:0 4px;border-radius:3px}
    .mark-yellow .left{background:#ffd54f;padding:0 4px;border-radius:3px}
    .more{color:#777}
    .charts{display:flex;flex-wrap:wrap;gap:12px}
    .chart{background:#fff;border-radius:6px;max-width:100%;height:auto}
    .chart .bar{fill:#8b1a1a}
    .chart .axis{stroke:#999}
    .chart text{font-size:11px;fill:#333}
    .chart .chart-title{font-size:13px;font-weight:bold}
    table{border-collapse:collapse;background:#fff;margin:6px 0 14px;font-size:13px;max-width:100%}
    th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
    .gold-window{background:#fff8e1}
    .timeline .data{max-width:420px;word-break:break-all;font-family:monospace;font-size:12px}
    .timeline .hash{font-family:monospace}
    .chain-ok{color:#2e7d32}.chain-bad{color:#c62828;font-weight:bold}
    .figures dl{display:flex;flex-wrap:wrap;gap:12px;margin:0}
    .figures div{background:#fff;border-radius:6px;padding:8px 14px}
    .figures dt{color:#555;font-size:13px}.figures dd{margin:0;font-size:24px;font-weight:bold}
    .error{color:#c62828}.note{color:#666;font-size:13px}
    @media (max-width:600px){main{padding:8px}.windows{grid-template-columns:1fr}table{display:block;overflow-x:auto}}
    """

    /// Replaces the board when the server says the views moved on (Server-Sent Events); without
    /// EventSource, or while it is down, fetches the board every few seconds instead.
    static let boardScript = """
    (function () {
      "use strict";
      var pending = false;
      function refresh() {
        if (pending) { return; }
        pending = true;
        fetch("/board/fragment", { credentials: "same-origin", cache: "no-store" })
          .then(function (r) { return r.ok ? r.text() : null; })
          .then(function (html) {
            pending = false;
            if (html === null) { return; }
            var board = document.getElementById("board");
            var next = new DOMParser().parseFromString(html, "text/html").getElementById("board");
            if (board && next) { board.replaceWith(document.adoptNode(next)); }
          })
          .catch(function () { pending = false; });
      }
      var live = false;
      if (window.EventSource) {
        var source = new EventSource("/board/events");
        source.addEventListener("seq", function (e) {
          live = true;
          var board = document.getElementById("board");
          if (!board || board.getAttribute("data-checkpoint") !== e.data) { refresh(); }
        });
        source.onerror = function () { live = false; };
      }
      setInterval(function () { if (!live) { refresh(); } }, 5000);
    })();
    """
}
