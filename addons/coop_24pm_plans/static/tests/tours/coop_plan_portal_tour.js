import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("coop_plan_portal_tour", {
    steps: () => [
        {
            content: "Open the support plan from the portal home",
            trigger: "a[href='/my/plan']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The current plan is Standard",
            trigger: ".o_coop_plan .o_coop_plan_name:contains('Standard')",
        },
        {
            content: "Choose the Partner plan",
            trigger: ".o_coop_plan_request select[name='new_plan_id']",
            run: "selectByLabel Partner",
        },
        {
            content: "Request the change",
            trigger: ".o_coop_plan_request button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request waits for the member's confirmation",
            trigger: ".o_coop_plan_requested",
        },
        {
            content: "Confirm the upgrade",
            trigger: ".o_coop_plan_change .o_coop_confirm_change",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The change is confirmed",
            trigger: ".o_coop_plan_confirmed",
        },
        {
            content: "The plan is now Partner",
            trigger: ".o_coop_plan .o_coop_plan_name:contains('Partner')",
        },
    ],
});
