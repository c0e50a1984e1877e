import { registry } from "@web/core/registry";

/** Issue 16, art. 5.3: the agent objects to a new group rate from its membership page, in French. */
registry.category("web_tour.tours").add("coop_rate_objection_tour", {
    steps: () => [
        {
            content: "The new rate is shown in French with its amount",
            trigger: ".o_coop_rate_change:contains('Le tarif de groupe de'):contains('65,00')",
        },
        {
            content: "Give the reason",
            trigger: ".o_coop_rate_objection textarea[name='reason']",
            run: "edit Tarif trop élevé",
        },
        {
            content: "Object",
            trigger: ".o_coop_rate_objection button:contains('Faire opposition à ce tarif')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The card now says the services are suspended, and no longer offers to object",
            trigger: ".o_coop_rate_change:has(.o_coop_rate_objected):not(:has(.o_coop_rate_objection))",
        },
    ],
});
