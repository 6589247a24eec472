/** Inline CSS and script of the HTML report: no network, no CDN, works from a file:// URL. */
export const REPORT_CSS = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#0f172a;background:#f8fafc}
header{background:#0f172a;color:#fff;padding:14px 24px}header h1{margin:0;font-size:20px}header .meta{color:#cbd5e1;font-size:12px}
nav{background:#1e293b;padding:0 16px;position:sticky;top:0;z-index:2}nav a{color:#e2e8f0;display:inline-block;padding:9px 10px;text-decoration:none;font-size:13px}nav a:hover,nav a.active{background:#334155}
main{padding:16px 24px;max-width:1400px}section{margin-bottom:28px}h2{font-size:18px;border-bottom:1px solid #cbd5e1;padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}th,td{border:1px solid #e2e8f0;padding:4px 6px;text-align:left;vertical-align:top}th{background:#f1f5f9;position:sticky;top:36px}
td.num{text-align:right;font-variant-numeric:tabular-nums}code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}pre{background:#0f172a;color:#e2e8f0;padding:10px;overflow:auto;max-height:420px}
.cards{display:flex;flex-wrap:wrap;gap:10px}.card{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:10px 14px;min-width:150px}.card b{display:block;font-size:22px}
.sev{display:inline-block;padding:0 6px;border-radius:4px;font-size:12px;font-weight:600;color:#fff}.sev-critical{background:#b91c1c}.sev-high{background:#ea580c}.sev-medium{background:#ca8a04}.sev-low{background:#64748b}.sev-info{background:#94a3b8}
.st-pass{color:#15803d;font-weight:600}.st-partial{color:#ca8a04;font-weight:600}.st-fail{color:#b91c1c;font-weight:600}.st-unknown{color:#64748b}
.warn{background:#fff7ed;border:1px solid #fdba74;padding:8px 12px;border-radius:6px}.ok{background:#f0fdf4;border:1px solid #86efac;padding:8px 12px;border-radius:6px}
.graphbox{background:#fff;border:1px solid #e2e8f0;overflow:auto;padding:6px}.legend span{margin-right:12px;font-size:12px}.muted{color:#64748b}.filters{margin:6px 0}.filters input,.filters select{padding:4px 6px}
body.js section.page{display:none}body.js section.page.shown{display:block}
`;

/** Page switching by URL fragment, and the findings filter. Without JavaScript every page shows. */
export const REPORT_JS = `
(function(){
  document.body.classList.add('js');
  function show(){
    var id=(location.hash||'#overview').slice(1);var el=document.getElementById(id);
    if(!el||!el.classList.contains('page')){id='overview';el=document.getElementById(id);}
    document.querySelectorAll('section.page').forEach(function(s){s.classList.toggle('shown',s===el);});
    document.querySelectorAll('nav a').forEach(function(a){a.classList.toggle('active',a.getAttribute('href')==='#'+(id.indexOf('agent-')===0?'agents':id));});
    window.scrollTo(0,0);
  }
  window.addEventListener('hashchange',show);show();
  var q=document.getElementById('f-q'),s=document.getElementById('f-sev'),st=document.getElementById('f-status');
  function filter(){
    var text=(q&&q.value||'').toLowerCase(),sev=s&&s.value,status=st&&st.value,n=0;
    document.querySelectorAll('#findings-table tbody tr').forEach(function(tr){
      var ok=(!text||tr.textContent.toLowerCase().indexOf(text)>=0)&&(!sev||tr.dataset.sev===sev)&&(!status||tr.dataset.status===status);
      tr.style.display=ok?'':'none';if(ok)n++;
    });
    var c=document.getElementById('f-count');if(c)c.textContent=n+' shown';
  }
  [q,s,st].forEach(function(e){if(e)e.addEventListener('input',filter);});
})();
`;
