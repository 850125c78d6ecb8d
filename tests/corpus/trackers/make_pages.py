"""Writes the tracker corpus: saved pages of a practice's site, trackers present or absent, on sensitive or
public pages, inline and external scripts, tag-manager containers."""
from pathlib import Path

META_EXT = '<script async src="https://connect.facebook.net/en_US/fbevents.js"></script>'
META_INLINE = """<script>
  !function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?
  n.callMethod.apply(n,arguments):n.queue.push(arguments)};}(window, document,'script');
  fbq('init', '1234567890');
  fbq('track', 'PageView');
</script>
<noscript><img height="1" width="1" style="display:none" src="https://www.facebook.com/tr?id=1234567890&ev=PageView&noscript=1"/></noscript>"""
GTM = """<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':
new Date().getTime(),event:'gtm.js'});var f=d.getElementsByTagName(s)[0],
j=d.createElement(s);j.async=true;j.src='https://www.googletagmanager.com/gtm.js?id='+i;f.parentNode.insertBefore(j,f);
})(window,document,'script','dataLayer','GTM-ABC1234');</script>"""
GTM_NOSCRIPT = ('<noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-ABC1234" height="0" width="0" '
                'style="display:none;visibility:hidden"></iframe></noscript>')
GTAG = """<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABCDEF1234"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);}
  gtag('js', new Date());
  gtag('config', 'G-ABCDEF1234');
</script>"""
HOTJAR = """<script>
    (function(h,o,t,j,a,r){
        h.hj=h.hj||function(){(h.hj.q=h.hj.q||[]).push(arguments)};
        h._hjSettings={hjid:1234567,hjsv:6};
        a=o.getElementsByTagName('head')[0];
        r=o.createElement('script');r.async=1;
        r.src=t+h._hjSettings.hjid+j+h._hjSettings.hjsv;
        a.appendChild(r);
    })(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');
</script>"""
CLARITY = """<script type="text/javascript">
    (function(c,l,a,r,i,t,y){
        c[a]=c[a]||function(){(c[a].q=c[a].q||[]).push(arguments)};
        t=l.createElement(r);t.async=1;t.src="https://www.clarity.ms/tag/"+i;
        y=l.getElementsByTagName(r)[0];y.parentNode.insertBefore(t,y);
    })(window, document, "clarity", "script", "abcdefghij");
</script>"""
TIKTOK = """<script>
!function (w, d, t) {
  w.TiktokAnalyticsObject=t;var ttq=w[t]=w[t]||[];
  ttq.load('C1234567890ABCDEFGHI');
  ttq.page();
}(window, document, 'ttq');
</script>"""
LINKEDIN = """<script type="text/javascript">
_linkedin_partner_id = "1234567";
window._linkedin_data_partner_ids = window._linkedin_data_partner_ids || [];
window._linkedin_data_partner_ids.push(_linkedin_partner_id);
</script>
<script type="text/javascript" async src="https://snap.licdn.com/li.lms-analytics/insight.min.js"></script>"""
SEGMENT = '<script src="https://cdn.segment.com/analytics.js/v1/abcDEF123/analytics.min.js"></script>'
FULLSTORY = '<script async src="https://edge.fullstory.com/s/fs.js" crossorigin="anonymous"></script>'
FIRST_PARTY = '<script src="/js/site.js"></script>\n<script>document.documentElement.className = "js";</script>'
SHARE = '<a href="https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Friverbend.example.org">Share</a>'
INTAKE_FORM = """<form action="/intake" method="post">
  <label>Name <input name="client_name"></label>
  <label>Date of birth <input name="dob" type="date"></label>
  <label>What brings you in? <textarea name="presenting_problem"></textarea></label>
</form>"""
LOGIN_FORM = """<form action="/portal/session" method="post">
  <input name="email" type="email">
  <input name="password" type="password">
</form>"""
BOOKING_FORM = """<form action="/book" method="post">
  <input name="appointment_date" type="date">
  <select name="preferred_time"><option>Morning</option></select>
</form>"""
CONTACT_FORM = """<form action="/contact" method="post">
  <input name="name"><input name="email" type="email"><textarea name="message"></textarea>
</form>"""


def page(head: str = "", body: str = "", meta: str = "") -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<title>Riverbend Family Services</title>\n"
            + (meta + "\n" if meta else "") + (head + "\n" if head else "") + "</head>\n<body>\n"
            + (body + "\n" if body else "<p>Welcome.</p>\n") + "</body>\n</html>\n")


PAGES = {
    # public pages: trackers allowed by these rules (the OCR bulletin's part on unauthenticated pages is vacated)
    "index.html": page(GTM + "\n" + META_INLINE, GTM_NOSCRIPT + "\n<p>Welcome.</p>\n" + SHARE),
    "about.html": page(GTAG),
    "blog/coping-with-winter.html": page(TIKTOK + "\n" + LINKEDIN),
    "contact.html": page(META_EXT, CONTACT_FORM),
    "services.html": page(FIRST_PARTY, SHARE),
    "portal/help.html": page(HOTJAR, meta='<meta name="smlint:page" content="public">'),
    # sensitive by path
    "intake/new-client.html": page(META_INLINE, INTAKE_FORM),
    "portal/login.html": page(HOTJAR, LOGIN_FORM),
    "schedule/book.html": page(GTM, GTM_NOSCRIPT + "\n" + BOOKING_FORM),
    "telehealth/join.html": page(CLARITY),
    "appointments.html": page(GTAG + "\n" + SEGMENT),
    "portal/messages.html": page(FULLSTORY),
    "intake/thank-you.html": page(TIKTOK),
    "portal/billing.html": page(LINKEDIN),
    # sensitive by form fields, with a neutral path
    "get-started.html": page(META_EXT, INTAKE_FORM),
    "members.html": page(CLARITY, LOGIN_FORM),
    # marked sensitive in the page itself
    "welcome-back.html": page(GTAG, meta='<meta name="smlint:page" content="sensitive">'),
    # sensitive pages without trackers
    "intake/adult.html": page(FIRST_PARTY, INTAKE_FORM),
    "portal/index.html": page("", LOGIN_FORM),
    "schedule/index.html": page(FIRST_PARTY, BOOKING_FORM + "\n" + SHARE),
    # a tracker URL in a link or a comment is not a script
    "intake/faq.html": page("<!-- <script src=\"https://static.hotjar.com/c/hotjar-1.js\"></script> -->",
                            '<a href="https://analytics.tiktok.com/">TikTok</a>'),
}

def write(root: Path) -> None:
    for name, text in PAGES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write(Path(__file__).parent / "pages")
    print(len(PAGES), "pages")
