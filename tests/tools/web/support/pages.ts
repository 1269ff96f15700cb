/** An article page wrapped in the usual noise: navigation, ads, a cookie banner, a sidebar, a footer. */
export const articleHtml = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Tidal Energy Breakthrough | The Harbor Gazette</title>
  <script>window.trackEverything = function () { return "TRACKING-SCRIPT-TEXT"; };</script>
  <style>.ad-slot { color: red } /* STYLE-SHEET-TEXT */</style>
</head>
<body>
  <div class="cookie-banner" id="cookie-consent">We use cookies. COOKIE-BANNER-TEXT <button>Accept all</button></div>
  <header class="site-header">
    <nav class="main-nav">
      <a href="/">Home NAV-LINK-TEXT</a> <a href="/politics">Politics</a> <a href="/sports">Sports</a>
      <a href="/weather">Weather</a> <a href="/subscribe">Subscribe now</a>
    </nav>
  </header>
  <div class="ad-slot advertisement" id="top-ad">BUY CHEAP WIDGETS TODAY ADVERT-TEXT</div>
  <main>
    <article class="post">
      <h1>Tidal Energy Breakthrough</h1>
      <p class="byline">By Jane Rivers</p>
      <p>Engineers at the coastal research station announced on Tuesday that their new tidal turbine
        produced a steady forty megawatts through a full lunar cycle, a record for the design and well
        beyond what the team had projected when the prototype was first lowered into the strait.</p>
      <h2>How the turbine works</h2>
      <p>The turbine sits on the seabed and turns slowly with the incoming and outgoing tide. Unlike wind,
        the tide is predictable years in advance, which lets grid operators plan around it with unusual
        confidence. The team credits a new blade coating that resists fouling by barnacles and kelp.</p>
      <p>Read the <a href="/reports/tidal-2024.pdf">full technical report</a> for the measurements, or the
        <a href="https://example.org/summary">independent summary</a> prepared by the regional authority.</p>
      <ul>
        <li>Output: forty megawatts sustained</li>
        <li>Duration: one full lunar cycle</li>
      </ul>
      <p>Funding for a second array of twelve turbines was approved last month, and construction is expected
        to begin in the spring once the environmental survey of the seabed has been completed and reviewed.</p>
    </article>
  </main>
  <aside class="sidebar">
    <h3>Trending SIDEBAR-TEXT</h3>
    <ul><li><a href="/celebrity">Celebrity gossip</a></li><li><a href="/recipes">Ten quick recipes</a></li></ul>
  </aside>
  <div class="ad-slot sponsored">SPONSORED CONTENT: miracle supplements SPONSORED-TEXT</div>
  <footer class="site-footer">Copyright 2024 The Harbor Gazette FOOTER-TEXT · <a href="/privacy">Privacy</a></footer>
</body>
</html>`;

export const noiseMarkers = [
  "TRACKING-SCRIPT-TEXT",
  "STYLE-SHEET-TEXT",
  "COOKIE-BANNER-TEXT",
  "NAV-LINK-TEXT",
  "ADVERT-TEXT",
  "SIDEBAR-TEXT",
  "SPONSORED-TEXT",
  "FOOTER-TEXT",
];
