import { registry } from "@web/core/registry";

/** Issue 16, art. 11.1: the contest persists; the manager ends the contract with 15 days' notice, in French. */
registry.category("web_tour.tours").add("coop_dispute_notice_tour", {
    steps: () => [
        {
            content: "The contested regulation says what the member may do",
            trigger: ".o_coop_contested:contains('vous l'avez contesté le'):contains('15')",
        },
        {
            content: "End the contract with 15 days' notice",
            trigger: ".o_coop_dispute_notice button:contains('Résilier le contrat moyennant un préavis de')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The membership is now under notice, and the button is gone",
            trigger: ".o_coop_membership:not(:has(.o_coop_dispute_notice)) .o_coop_state",
        },
    ],
});

/** Issue 16, art. 11.1: the agent contests a new regulation within the delay, in French. */
registry.category("web_tour.tours").add("coop_contest_tour", {
    steps: () => [
        {
            content: "Give the reason of the contest",
            trigger: "form[action*='/contest/'] textarea[name='reason']",
            run: "edit Les nouvelles règles de garantie ne nous conviennent pas",
        },
        {
            content: "Contest",
            trigger: "form[action*='/contest/'] button:contains('Contester')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The page says it is contested, and what may follow",
            trigger: ".o_coop_contested:contains('vous l'avez contesté le')",
        },
    ],
});

/** Issue 16, FAQ "Votre compte": a prospect deletes its account at once from Odoo's own page. */
registry.category("web_tour.tours").add("coop_prospect_delete_account_tour", {
    steps: () => [
        {
            content: "Open the account deletion",
            trigger: "button[data-bs-target='#portal_deactivate_account_modal']",
            run: "click",
        },
        {
            content: "Password",
            trigger: "#portal_deactivate_account_form input[name='password']",
            run: "edit pia-portal-pass",
        },
        {
            content: "Type the login to confirm",
            trigger: "#portal_deactivate_account_form input[name='validation']",
            run: "edit pia@example.com",
        },
        {
            content: "Delete",
            trigger: "#portal_deactivate_account_modal input[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        { content: "Logged out, on the login page", trigger: ".oe_login_form" },
    ],
});
