import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("coop_billing_portal_request_tour", {
    steps: () => [
        {
            content: "Nothing to invoice yet",
            trigger: ".o_coop_upcoming_invoice[data-amount='0.00']",
        },
        {
            content: "Describe the work",
            trigger: ".o_coop_request_form input[name='name']",
            run: "edit New landing page",
        },
        {
            content: "Accept the tariff",
            trigger: ".o_coop_request_form input[name='tariff_accepted']",
            run: "click",
        },
        {
            content: "Send the request",
            trigger: ".o_coop_request_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is listed among the tasks",
            trigger: ".o_coop_tasks td:contains('New landing page')",
        },
    ],
});

registry.category("web_tour.tours").add("coop_billing_portal_invoice_tour", {
    steps: () => [
        {
            content: "The upcoming invoice grew with the hour logged (EUR 60 x 1.38)",
            trigger: ".o_coop_upcoming_invoice[data-amount='82.80']",
        },
        {
            content: "The collaborator is shown with its category and billed rate",
            trigger: ".o_coop_collaborators td:contains('Employee, medior')",
        },
        {
            content: "The work line is waiting for the next invoice",
            trigger: ".o_coop_work_lines td:contains('next invoice')",
        },
    ],
});
