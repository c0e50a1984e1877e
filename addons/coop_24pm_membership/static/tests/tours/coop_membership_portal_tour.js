import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("coop_membership_portal_tour", {
    steps: () => [
        {
            content: "Open the membership from the portal home",
            trigger: "a[href='/my/membership']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The member's status is shown",
            trigger: ".o_coop_membership .o_coop_state:contains('Active')",
        },
        {
            content: "The company name is shown",
            trigger: ".o_coop_membership h3:contains('Tour Brasserie SRL')",
        },
        {
            content: "Its B share is in the register table",
            trigger: ".o_coop_shares td:contains('B shares')",
        },
        {
            content: "Subscription of one share",
            trigger: ".o_coop_shares td:contains('Subscription')",
        },
    ],
});

/** Issue 16, in French: the company's manager creates an agent, changes its mandate, revokes it. */
registry.category("web_tour.tours").add("coop_agents_french_tour", {
    steps: () => [
        {
            content: "La section des mandataires",
            trigger: "h4#coop_agents:contains('Vos mandataires')",
        },
        {
            content: "Nom du nouveau mandataire",
            trigger: ".o_coop_agent_new input[name='name']",
            run: "edit Lotte Lambert",
        },
        {
            content: "Son e-mail",
            trigger: ".o_coop_agent_new input[name='email']",
            run: "edit lotte@example.com",
        },
        {
            content: "Ajouter le mandataire",
            trigger: ".o_coop_agent_new button.o_coop_agent_add:contains('Ajouter')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Le mandataire est listé",
            trigger: ".o_coop_agents tr.o_coop_agent_row:contains('Lotte Lambert') .o_coop_right_projects",
        },
        {
            content: "Modifier son mandat",
            trigger: ".o_coop_agents tr.o_coop_agent_row:contains('Lotte Lambert') .o_coop_agent_edit:contains('Modifier')",
            run: "click",
        },
        {
            content: "Retirer le droit projets",
            trigger: ".o_coop_agents tr.collapse.show .o_coop_agent_form input[name='projects']",
            run: "click",
        },
        {
            content: "Enregistrer le mandat",
            trigger: ".o_coop_agents tr.collapse.show .o_coop_agent_save:contains('Enregistrer le mandat')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Le mandat est enregistré: finances sans projets",
            trigger: ".o_coop_agents tr.o_coop_agent_row:contains('Lotte Lambert'):not(:has(.o_coop_right_projects)) .o_coop_right_finance",
        },
        {
            content: "Ouvrir le mandat",
            trigger: ".o_coop_agents tr.o_coop_agent_row:contains('Lotte Lambert') .o_coop_agent_edit",
            run: "click",
        },
        {
            content: "Révoquer le mandat",
            trigger: ".o_coop_agents tr.collapse.show .o_coop_agent_revoke button:contains('Révoquer le mandat')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Le mandataire n'est plus listé",
            trigger: ".o_coop_membership:not(:has(.o_coop_agent_row:contains('Lotte Lambert')))",
        },
    ],
});

/** Issue 16, in French: the company's manager gives notice of termination (art. 4.4.1). */
registry.category("web_tour.tours").add("coop_notice_french_tour", {
    steps: () => [
        {
            content: "Ouvrir la page du préavis",
            trigger: "a.o_coop_notice_link:contains('Donner son préavis')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Le délai de préavis et la fin au plus tôt sont affichés",
            trigger: ".o_coop_notice:contains('Délai de préavis') .o_coop_earliest_end",
        },
        {
            content: "Ce que la fin du contrat règle: la part B rachetée",
            trigger: ".o_coop_settlement_preview td:contains('part B')",
        },
        {
            content: "Donner le préavis à la date la plus proche",
            trigger: ".o_coop_notice_form button.o_coop_notice_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Le préavis est enregistré",
            trigger: ".o_coop_notice .o_coop_saved:contains('Votre préavis de résiliation est enregistré')",
        },
        {
            content: "La date de fin est affichée",
            trigger: ".o_coop_notice_given .o_coop_notice_end",
        },
    ],
});
