from typing import Any
from tests.browser.test_pwa import wait_for_service_worker, test_outbox_survives_browser_restart_and_can_be_edited_or_deleted as test_0_restart  # noqa

INSTR = '''
const __L = [];
function L(...a) { __L.push(Date.now() % 100000 + " " + a.join(" ")); caches.open("debuglog").then(c => c.put("/__log", new Response(__L.join("\\n")))); }
'''

def test_lang_debug(page: Any) -> None:
    ctx = page.context
    def patch(route):
        r = route.fetch()
        body = r.text()
        body = body.replace('"use strict";', '"use strict";' + INSTR, 1)
        body = body.replace("const quick = await", "L('nav', url.href); const quick = await")
        body = body.replace("if (quick && quick.status < 500) return quick;", "L('quick', quick && quick.status, quick && language(quick)); if (quick && quick.status < 500) return quick;")
        body = body.replace("const cached = await cache.match(url.pathname);", "const cached = await cache.match(url.pathname); L('cached', cached && language(cached));")
        body = body.replace("async function relanguage", "async function relanguage_unused")
        body = body.replace("function relanguage(lang) {", "function relanguage(lang) { L('relanguage', lang);")
        body = body.replace("if (res.ok && language(res) === lang", "L('rl-fetched', url, language(res), lang); if (res.ok && language(res) === lang")
        body = body.replace("language(res) === (await shellLanguage(cache))) await cache.put(url.pathname, res.clone());", "language(res) === (await shellLanguage(cache))) { L('nav-put', url.pathname, language(res)); await cache.put(url.pathname, res.clone()); }")
        route.fulfill(response=r, body=body)
    ctx.route("**/sw.js", patch)
    page.goto("/")
    wait_for_service_worker(page)
    page.goto("/?lang=ar")
    page.wait_for_function("""() => caches.open(k => 0).then(() => caches.keys()).then(k => caches.open(k.filter(n => n.startsWith('kopingreport'))[0])).then(c => c.match('/report')).then(r => r.text())
        .then(t => t.includes('<html lang="ar'))""", timeout=15_000)
    ctx.set_offline(True)
    r = page.goto("/report")
    lang = page.locator("html").get_attribute("lang")
    log = page.evaluate("caches.open('debuglog').then(c => c.match('/__log')).then(r => r ? r.text() : 'nolog')")
    ctx.set_offline(False)
    print("served", lang)
    print(log)
    assert lang == "ar"
