from odoo.http import request

from odoo.addons.auth_signup.controllers.main import AuthSignupHome


class CoopAuthSignupHome(AuthSignupHome):
    def do_signup(self, qcontext):
        """Free accounts of the online journey: a few per IP address and hour (Odoo's
        captcha, when a captcha module is installed, already guards /web/signup)."""
        if not qcontext.get("token"):
            request.env["coop.rate.limit"]._coop_hit("signup", ip=request.httprequest.remote_addr)
        return super().do_signup(qcontext)
