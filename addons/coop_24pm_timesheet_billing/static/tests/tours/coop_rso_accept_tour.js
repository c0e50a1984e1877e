import { registry } from "@web/core/registry";

/** Issue 16, art. 5.2: the agent reads the RSO of a request the PM registered and accepts it, in French. */
registry.category("web_tour.tours").add("coop_rso_accept_tour", {
    steps: () => [
        {
            content: "The rules are shown, open, with the date they are accepted by default",
            trigger: "details.o_coop_rso[open]:contains('Sauvegardes chaque nuit'):contains('Acceptées par défaut le')",
        },
        {
            content: "Accept them",
            trigger: "form[action*='/work-rso/'] button:contains('Accepter les RSO')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Accepted: the rules fold away; open them again",
            trigger: "details.o_coop_rso:not([open]) summary",
            run: "click",
        },
        {
            content: "The rules now say when they were accepted",
            trigger: "details.o_coop_rso[open]:contains('Acceptées le')",
        },
    ],
});
