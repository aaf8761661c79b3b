// The page's stylesheet, served as /page/page.css (the Content-Security-Policy allows no inline
// styles). Each state has a colour AND an icon and word in the markup; colours keep a contrast
// of at least 4.5:1 with their text.
export const PAGE_CSS = `
:root { --fg: #1b1f24; --muted: #4a5560; --bg: #ffffff; --line: #c9d1d9; --link: #0550ae; --focus: #bf5700;
  --ok-bg: #dafbe1; --ok-fg: #0f5323; --ok-line: #1a7f37;
  --pend-bg: #fff8c5; --pend-fg: #5c4000; --pend-line: #9a6700;
  --fail-bg: #ffebe9; --fail-fg: #82071e; --fail-line: #cf222e;
  --err-bg: #fbefff; --err-fg: #512a97; --err-line: #8250df;
  --unk-bg: #eef1f4; --unk-fg: #32383f; --unk-line: #6e7781; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--link); }
a:focus-visible, [tabindex]:focus-visible, summary:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: .5em; }
.skip:focus { left: .5em; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
header.top { display: flex; gap: 1.5em; align-items: baseline; padding: .6em 1.2em; border-bottom: 1px solid var(--line); }
.brand { margin: 0; font-weight: 700; }
.crumbs { display: flex; gap: .4em; list-style: none; margin: 0; padding: 0; }
.crumbs li + li::before { content: "/"; margin-right: .4em; color: var(--muted); }
main { padding: .5em 1.2em 2em; }
main:focus { outline: none; }
h1 { font-size: 1.5em; margin: .4em 0; }
h1 .sub, .sub { color: var(--muted); font-weight: 400; font-size: .9em; }
footer { padding: .5em 1.2em; border-top: 1px solid var(--line); color: var(--muted); font-size: .9em; }
.none { color: var(--muted); }
.fleet { margin: 1em 0 2.5em; }
.meta { display: flex; flex-wrap: wrap; gap: .3em 2em; margin: .3em 0; }
.meta div { display: flex; gap: .4em; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; }
.notes { list-style: none; padding: 0; }
.alert { font-weight: 600; }
.badge { display: inline-block; padding: 0 .45em; border: 1px solid; border-radius: .8em; font-size: .85em; font-weight: 600; white-space: nowrap; }
.state-success .badge, .badge.state-success { background: var(--ok-bg); color: var(--ok-fg); border-color: var(--ok-line); }
.state-pending .badge, .badge.state-pending { background: var(--pend-bg); color: var(--pend-fg); border-color: var(--pend-line); }
.state-failure .badge, .badge.state-failure { background: var(--fail-bg); color: var(--fail-fg); border-color: var(--fail-line); }
.state-error .badge, .badge.state-error { background: var(--err-bg); color: var(--err-fg); border-color: var(--err-line); }
.state-unknown .badge, .badge.state-unknown { background: var(--unk-bg); color: var(--unk-fg); border-color: var(--unk-line); }
.promotion { display: flex; flex-wrap: wrap; gap: .5em 1.5em; list-style: none; padding: 0; margin: .6em 0; }
.promotion .arrow { font-weight: 700; }
.promotion .after { color: var(--muted); }
table { border-collapse: collapse; margin: .6em 0; }
caption { text-align: left; font-weight: 600; padding: .2em 0; }
th, td { text-align: left; vertical-align: top; padding: .35em .6em; border-bottom: 1px solid var(--line); }
.overview .reason, .reason { font-weight: 600; margin-right: .4em; }
.overview .message { display: block; color: var(--muted); max-width: 60ch; overflow-wrap: anywhere; }
.blocked { display: block; color: var(--fail-fg); }
.blocked-box { border: 2px solid var(--fail-line); background: var(--fail-bg); color: var(--fail-fg); padding: .4em .8em; margin: .6em 0; border-radius: .3em; }
table.grid { width: 100%; }
table.grid > tbody > tr > th { width: 11em; }
table.grid h3 { margin: 0 0 .2em; font-size: 1.1em; }
.cells { display: flex; flex-wrap: wrap; gap: .6em; list-style: none; margin: 0; padding: 0; }
.cell { width: 17em; border: 1px solid var(--line); border-left-width: 6px; border-radius: .3em; padding: .4em .6em; }
.cell.state-success { border-left-color: var(--ok-line); }
.cell.state-pending { border-left-color: var(--pend-line); }
.cell.state-failure { border-left-color: var(--fail-line); }
.cell.state-error { border-left-color: var(--err-line); }
.cell.state-unknown { border-left-color: var(--unk-line); }
.cell:target, .cell[data-target] { outline: 3px solid var(--focus); }
.message-full { white-space: pre-wrap; overflow-wrap: anywhere; }
.cell-name { margin: 0; font-size: 1em; }
.cell-state { margin: .2em 0; }
.since { color: var(--muted); font-size: .9em; }
.desc { margin: .2em 0; font-size: .9em; overflow-wrap: anywhere; }
.facts { display: grid; grid-template-columns: auto 1fr; gap: 0 .6em; margin: .3em 0 0; font-size: .9em; }
.facts div { display: contents; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.plan { border: 1px solid var(--line); border-radius: .3em; padding: .2em .8em; margin: .8em 0; }
.plan.is-blocked { border: 2px solid var(--fail-line); }
.plan h3 { margin: .4em 0; }
.markdown table { font-size: .9em; }
.markdown pre { background: #f6f8fa; padding: .6em; overflow-x: auto; }
.markdown blockquote { margin: .4em 0; padding-left: .8em; border-left: 4px solid var(--line); }
.object { margin: 1em 0; }
.object h3 { margin: .2em 0; font-size: 1.05em; }
.role { text-transform: capitalize; color: var(--muted); font-weight: 400; }
.conditions td:nth-child(4) { max-width: 50ch; overflow-wrap: anywhere; }
.events .kind { font-weight: 600; }
.changes .action-created td:nth-child(2), .changes .action-configured td:nth-child(2) { font-weight: 600; }
`;
