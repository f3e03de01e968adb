/// The page's stylesheet, inline so that the file opens from disk with nothing to load.
///
/// Fonts are the reader's own (the system UI and monospace stacks); colours are set once as
/// custom properties; print keeps the badges' colours and lets wide graphs shrink to the page.
extension IncidentHTML {
    static let stylesheet = """
        :root {
          --ink: #1f2328; --muted: #59636e; --line: #d8dee4; --soft: #f6f8fa; --link: #0a58ca;
          --critical: #7a1212; --high: #d1400a; --medium: #b26a00; --low: #1f5fbf;
          --informational: #6b7280; --cross: #c62828; --chain: #6a3fc1;
          --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans",
            "Helvetica Neue", Arial, sans-serif;
          --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono",
            "DejaVu Sans Mono", monospace;
        }
        * { box-sizing: border-box; }
        html { background: #fff; }
        body { margin: 0; color: var(--ink); font: 14px/1.5 var(--sans); }
        main { max-width: 1400px; margin: 0 auto; padding: 28px 36px 48px; }
        a { color: var(--link); }
        h1 { font-size: 28px; margin: 0 0 2px; letter-spacing: -0.01em; }
        h2 { font-size: 21px; margin: 40px 0 12px; padding-bottom: 6px;
          border-bottom: 1px solid var(--line); }
        h3 { font-size: 16px; margin: 26px 0 8px; }
        h4 { font-size: 14px; margin: 0 0 8px; }
        p { margin: 6px 0 10px; }
        header.page { border-bottom: 3px solid var(--ink); padding-bottom: 10px; }
        header.page p { margin: 2px 0; }
        .headline { font-size: 16px; font-weight: 600; }
        .muted, .note { color: var(--muted); }
        .note { font-size: 13px; }
        code, .mono, pre { font-family: var(--mono); font-size: 12px; }
        code { background: var(--soft); border-radius: 4px; padding: 0 3px;
          overflow-wrap: anywhere; }
        td code { background: none; padding: 0; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 18px;
          margin: 8px 0 14px; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        table { border-collapse: collapse; width: 100%; margin: 6px 0 18px; font-size: 13px; }
        th, td { text-align: left; vertical-align: top; padding: 5px 8px;
          border-bottom: 1px solid var(--line); overflow-wrap: break-word; }
        td.mono, td.agent, td.actor, td.record, td.summary, td.address, td.ids, td code {
          overflow-wrap: anywhere; }
        th { background: var(--soft); font-weight: 600; border-bottom: 2px solid var(--line);
          white-space: nowrap; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.time { font-variant-numeric: tabular-nums; white-space: nowrap; }
        table.timeline { font-size: 12px; table-layout: fixed; }
        table.timeline th, table.timeline td { padding: 4px 6px; }
        table.timeline th { white-space: normal; }
        table.timeline th:nth-child(1) { width: 6.5%; }
        table.timeline th:nth-child(2) { width: 8%; }
        table.timeline th:nth-child(3) { width: 13%; }
        table.timeline th:nth-child(4) { width: 8%; }
        table.timeline th:nth-child(5) { width: 7.5%; }
        table.timeline th:nth-child(6) { width: 12.5%; }
        table.timeline th:nth-child(7) { width: 14.5%; }
        table.timeline th:nth-child(8) { width: 11%; }
        table.timeline th:nth-child(9) { width: 9.5%; }
        table.timeline th:nth-child(10) { width: 9.5%; }
        table.timeline td.time { font-family: var(--mono); font-size: 11px; }
        table.timeline td.where .first { font-family: var(--mono); font-size: 11px; }
        table.timeline td.agent { color: var(--muted); font-size: 11px; }
        table.timeline td.actor { font-family: var(--mono); font-size: 11px; }
        table.timeline td.record { color: var(--muted); font-family: var(--mono);
          font-size: 10.5px; }
        td .first, td .second { display: block; }
        td .second { color: var(--muted); font-size: 11px; }
        td.event .first { font-weight: 600; }
        .clamp { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 3;
          line-clamp: 3; overflow: hidden; }
        td:hover .clamp { display: block; }
        td.ips code, td.ids code { white-space: nowrap; }
        td.ids code { display: block; font-size: 11px; }
        table.techniques td.technique { min-width: 16em; }
        table.techniques td.technique .second { color: var(--ink); font-size: 13px; }
        table.techniques td.time .second { font-size: 13px; color: var(--ink); }
        td.error { color: var(--cross); font-weight: 600; }
        tr.technique td:first-child { box-shadow: inset 4px 0 var(--informational); }
        tr.technique.sev-low td:first-child { box-shadow: inset 4px 0 var(--low); }
        tr.technique.sev-medium td:first-child { box-shadow: inset 4px 0 var(--medium); }
        tr.technique.sev-high td:first-child { box-shadow: inset 4px 0 var(--high); }
        tr.technique.sev-critical td:first-child { box-shadow: inset 4px 0 var(--critical); }
        tr.technique.sev-high, tr.technique.sev-critical { background: #fff6f3; }
        .sev { display: inline-block; padding: 1px 9px; border-radius: 999px; color: #fff;
          background: var(--informational); font-size: 12px; font-weight: 600; line-height: 1.6;
          vertical-align: 1px; white-space: nowrap; }
        .sev.sev-critical { background: var(--critical); }
        .sev.sev-high { background: var(--high); }
        .sev.sev-medium { background: var(--medium); }
        .sev.sev-low { background: var(--low); }
        .status { font-weight: 600; }
        .status-failed { color: var(--cross); }
        .status-partial { color: var(--medium); }
        .origin-label { font-weight: 500; color: var(--muted); overflow-wrap: anywhere; }
        .cross { color: var(--cross); }
        ul.reasons { margin: 4px 0 12px; padding-left: 22px; }
        ul.reasons li { margin: 2px 0; }
        .none { font-size: 15px; }
        .legend { font-size: 13px; color: var(--muted); }
        .key-edge { display: inline-block; width: 28px; height: 0; vertical-align: middle;
          border-top: 2px solid #8c959f; margin: 0 5px 0 12px; }
        .key-edge.chained { border-top-color: var(--chain); }
        .key-edge.cross-account { border-top: 2px dashed var(--cross); }
        .svgbox { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; padding: 6px;
          background: #fbfcfd; }
        svg.tree { display: block; }
        svg.tree text { font-family: var(--sans); font-size: 12px; fill: var(--ink); }
        svg.tree text.title { font-size: 13px; font-weight: 600; }
        svg.tree text.key { font-family: var(--mono); font-size: 11.5px; }
        svg.tree text.meta { font-size: 10.5px; fill: var(--muted); }
        svg.tree .node rect { fill: #fff; stroke: #8c959f; stroke-width: 1.2; }
        svg.tree .node.origin rect { fill: #24292f; stroke: #24292f; }
        svg.tree .node.origin text { fill: #fff; }
        svg.tree .node.origin text.meta { fill: #c9d1d9; }
        svg.tree .node.chained rect { stroke: var(--chain); stroke-width: 2; }
        svg.tree .node.cross-account rect { stroke: var(--cross); stroke-width: 2; }
        svg.tree .edge { fill: none; stroke: #8c959f; stroke-width: 1.6; }
        svg.tree .edge.chained { stroke: var(--chain); stroke-width: 2; }
        svg.tree .edge.cross-account { stroke: var(--cross); stroke-width: 2;
          stroke-dasharray: 7 4; }
        svg.tree .arrow { fill: #8c959f; }
        svg.tree .arrow.cross-account { fill: var(--cross); }
        svg.tree .arrow.chained { fill: var(--chain); }
        svg.tree .edge-label { font-size: 10.5px; font-weight: 700; fill: var(--chain);
          paint-order: stroke; stroke: #fbfcfd; stroke-width: 4px; }
        svg.tree .edge-label.cross-account { fill: var(--cross); }
        svg.tree .edge-label.chained { fill: var(--chain); }
        pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px;
          padding: 8px 10px; margin: 6px 0 10px; white-space: pre-wrap; overflow-wrap: anywhere; }
        pre.command { background: #f3f0ff; border-color: #d9d0f5; }
        .label { font-size: 12px; font-weight: 600; color: var(--muted); margin: 10px 0 2px; }
        .action, .alerting { border: 1px solid var(--line); border-left: 4px solid var(--high);
          border-radius: 6px; padding: 10px 14px; margin: 12px 0; break-inside: avoid; }
        .alerting { border-left-color: var(--low); }
        .action .kind { display: inline-block; font-family: var(--mono); font-size: 12px;
          background: var(--ink); color: #fff; border-radius: 4px; padding: 1px 6px;
          margin-right: 4px; }
        ul.caveats { margin: 4px 0; padding-left: 20px; font-size: 13px; color: var(--muted); }
        .warning { background: #fff8e1; border: 1px solid #f0c36d; border-radius: 6px;
          padding: 8px 12px; }
        .problem { background: var(--soft); border-left: 4px solid var(--informational);
          padding: 8px 12px; }
        td.held { color: #1a7f37; font-weight: 600; }
        td.not-held { color: var(--cross); font-weight: 600; }
        footer { margin-top: 40px; border-top: 1px solid var(--line); }
        @media print {
          main { max-width: none; padding: 0; }
          body { font-size: 11px; }
          a { color: inherit; text-decoration: none; }
          section.incident { break-before: page; }
          h2, h3, h4 { break-after: avoid; }
          tr { break-inside: avoid; }
          .clamp { display: block; }
          .svgbox { overflow: visible; border: none; padding: 0; }
          svg.tree { max-width: 100%; height: auto; }
          .sev, .action .kind, tr.technique, svg.tree {
            -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        """
}
