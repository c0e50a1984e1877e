import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("coop_guarantee_portal_tour", {
    steps: () => [
        {
            content: "Open the trust account from the membership page",
            trigger: "a.o_coop_trust_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The guarantee held is shown",
            trigger: ".o_coop_trust .o_coop_guarantee_balance[data-amount='1500.0']",
        },
        {
            content: "Disputed amount",
            trigger: ".o_coop_dispute_form input[name='amount']",
            run: "edit 400",
        },
        {
            content: "Object of the dispute",
            trigger: ".o_coop_dispute_form textarea[name='subject']",
            run: "edit Hours not ordered",
        },
        {
            content: "File the dispute",
            trigger: ".o_coop_dispute_form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The dispute is listed as open",
            trigger: ".o_coop_disputes td:contains('Open')",
        },
        {
            content: "Top-up amount",
            trigger: ".o_coop_topup_form input[name='amount']",
            run: "edit 500",
        },
        {
            content: "Request the top-up",
            trigger: ".o_coop_topup_form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The top-up request is listed",
            trigger: ".o_coop_guarantee_moves td:contains('Requested')",
        },
    ],
});

/** Issue 16, in French: the share certificate and the account statement are offered as PDFs. */
registry.category("web_tour.tours").add("coop_documents_french_tour", {
    steps: () => [
        {
            content: "Le certificat de parts se télécharge depuis la page de l'adhésion",
            trigger: "a.o_coop_share_certificate_link[href$='/share-certificate']:contains('Certificat de parts')",
        },
        {
            content: "Ouvrir le compte fiduciaire",
            trigger: "a.o_coop_trust_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Choisir le début de la période de l'extrait",
            trigger: ".o_coop_statement_form input[name='date_start']",
        },
        {
            content: "L'extrait de compte se télécharge en PDF",
            trigger: ".o_coop_statement_form button.o_coop_statement_download:contains('Extrait de compte')",
        },
        {
            content: "Sans dates: les douze derniers mois",
            trigger: ".o_coop_statement_form:contains('douze derniers mois')",
        },
    ],
});
