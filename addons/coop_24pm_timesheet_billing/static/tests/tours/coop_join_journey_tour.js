import { registry } from "@web/core/registry";

// Issue #8: the whole online journey of a Belgian company, in French (fr_BE).
// The VIES remote call is patched by the Python test; everything else is real.
registry.category("web_tour.tours").add("coop_join_journey_tour", {
    steps: () => [
        // 1. free account on Odoo's signup page
        { content: "Signup: e-mail", trigger: "form.oe_signup_form input[name=login]", run: "edit gerante@parcours.example" },
        { content: "Signup: name", trigger: "form.oe_signup_form input[name=name]", run: "edit Gaëlle Gérante" },
        { content: "Signup: password", trigger: "form.oe_signup_form input[name=password]", run: "edit Parcours-2026-secret" },
        {
            content: "Signup: confirm the password",
            trigger: "form.oe_signup_form input[name=confirm_password]",
            run: "edit Parcours-2026-secret",
        },
        {
            content: "Create the account",
            trigger: "form.oe_signup_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        // 2. company profile from its VAT number (VIES)
        { content: "The journey starts at the company step", trigger: ".o_coop_join_steps li.active[data-step=company]" },
        { content: "Enterprise number", trigger: ".o_coop_join_company input[name=vat]", run: "edit BE0477.472.701" },
        {
            content: "Continue",
            trigger: ".o_coop_join_company_submit",
            run: "click",
            expectUnloadPage: true,
        },
        // 3. plan and commitment
        { content: "Plan step", trigger: ".o_coop_join_steps li.active[data-step=plan]" },
        { content: "Pick the first plan", trigger: ".o_coop_join_plans input[name=plan_id]:first", run: "click" },
        { content: "Monthly commitment", trigger: "select.o_coop_join_commitment", run: "select monthly" },
        {
            content: "Generate the contract",
            trigger: ".o_coop_join_apply",
            run: "click",
            expectUnloadPage: true,
        },
        // 4. e-contract: capacity, power statement, portal signature
        { content: "Capacity", trigger: ".o_coop_join_signatory input[name=capacity]", run: "edit Gérante" },
        { content: "Power to bind the company", trigger: ".o_coop_join_signatory input[name=has_power]", run: "click" },
        {
            content: "Continue to the signature",
            trigger: ".o_coop_join_signatory_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The signature is drawn from the name",
            trigger: ".o_coop_join_signature canvas.o_web_sign_signature",
            run: "canvasNotEmpty",
        },
        {
            content: "Sign the contract",
            trigger: ".o_coop_join_signature .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        // 5. B share invoiced at once, with a structured communication (ROI 2023: no
        // guarantee without a credit assessment by staff, SPEC 7.5)
        { content: "Invoices step done", trigger: ".o_coop_join_invoices .o_coop_join_invoice:eq(0)" },
        { content: "Structured communication", trigger: ".o_coop_join_reference:contains('+++')" },
        // 6. SEPA B2B mandate
        { content: "Mandate step", trigger: ".o_coop_join_steps li.active[data-step=mandate]" },
        { content: "IBAN", trigger: ".o_coop_join_iban input[name=iban]", run: "edit BE71 0961 2345 6769" },
        {
            content: "Prepare the mandate",
            trigger: ".o_coop_join_iban_submit",
            run: "click",
            expectUnloadPage: true,
        },
        { content: "The mandate PDF is offered", trigger: ".o_coop_join_mandate_sign a[href='/my/join/mandate/pdf']" },
        {
            content: "The mandate signature is drawn from the name",
            trigger: ".o_coop_join_mandate_sign canvas.o_web_sign_signature",
            run: "canvasNotEmpty",
        },
        {
            content: "Sign the mandate",
            trigger: ".o_coop_join_mandate_sign .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        // 7. accepted: active member; the mandate waits for the bank
        { content: "Welcome", trigger: ".o_coop_join_done" },
        { content: "Register the mandate with the bank", trigger: ".o_coop_join_mandate_waiting" },
        { content: "The mandate step waits for the bank", trigger: ".o_coop_join_steps li[data-step=mandate] .o_coop_join_waiting_badge" },
    ],
});
