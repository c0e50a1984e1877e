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
