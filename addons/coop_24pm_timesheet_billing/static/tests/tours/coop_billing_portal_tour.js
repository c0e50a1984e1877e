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

/** Issue 16, in French: the work done is paged and filtered by period and project. */
registry.category("web_tour.tours").add("coop_work_list_french_tour", {
    steps: () => [
        {
            content: "Travail effectué: 50 lignes sur la première page",
            trigger: ".o_coop_work_lines tbody tr[data-line-id]:nth-child(50)",
        },
        {
            content: "Le pager du portail propose la page suivante",
            trigger: ".o_coop_work_pager .page-link:contains('2')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Deuxième page: les 10 dernières lignes",
            trigger: ".o_coop_work_lines:not(:has(tr[data-line-id]:nth-child(11))) tr[data-line-id]:nth-child(10)",
        },
        {
            content: "Ouvrir le filtre des périodes",
            trigger: ".o_coop_work_searchbar #portal_searchbar_filters:contains('Toutes les périodes')",
            run: "click",
        },
        {
            content: "Choisir ce mois-ci",
            trigger: ".o_coop_work_searchbar .dropdown-item:contains('Ce mois-ci')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Le filtre est appliqué et le pager disparaît",
            trigger: ".o_coop_work_searchbar #portal_searchbar_filters:contains('Ce mois-ci')",
        },
        {
            content: "Plus de pager pour un mois de travail",
            trigger: ".o_coop_work:not(:has(.o_coop_work_pager))",
        },
        {
            content: "Ouvrir le filtre des projets",
            trigger: ".o_coop_work_project_filter #o_coop_work_project:contains('Tous les projets')",
            run: "click",
        },
        {
            content: "Choisir le projet",
            trigger: ".o_coop_work_project_filter .dropdown-item[data-project-id]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Le projet est choisi, la période reste",
            trigger: ".o_coop_work_searchbar:contains('Brasserie Historique - work'):contains('Ce mois-ci')",
        },
    ],
});

/** Issue 16, in French: the member's data is offered for download (zip of JSON and CSV). */
registry.category("web_tour.tours").add("coop_export_french_tour", {
    steps: () => [
        {
            content: "Le lien de téléchargement des données est sur la page de l'adhésion",
            trigger: "a.o_coop_export_link[href$='/export']:contains('Télécharger vos données')",
        },
        {
            content: "La page reste celle de l'adhésion, en français",
            trigger: ".o_coop_membership:contains('Statut')",
        },
    ],
});
