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
