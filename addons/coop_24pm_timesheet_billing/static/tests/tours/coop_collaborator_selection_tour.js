import { registry } from "@web/core/registry";

/** SPEC 6 (the B2BiZen seed): the agent goes through the selection of the collaborators
 * proposed for a mission, in French: shortlists one, selects it after the interview and
 * declines the other with a reason; only first names are shown before the mission starts. */
registry.category("web_tour.tours").add("coop_collaborator_selection_tour", {
    steps: () => [
        {
            content: "The work page lists the selection of the mission",
            trigger: ".o_coop_proposals a:contains('Mise en place comptable')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The partial profile: first name, category, languages and the rate billed, in French",
            trigger: ".o_coop_profile:has(.o_coop_profile_name:contains('Camille')):has(.o_coop_profile_languages:contains('(C2)')):has(.o_coop_profile_rate:contains('82,80'))",
        },
        {
            content: "No last name before the mission starts",
            trigger: ".o_coop_proposal:not(:contains('Verhaegen')):not(:contains('Wauters'))",
        },
        {
            content: "Shortlist Camille for an interview",
            trigger: ".o_coop_profile:has(.o_coop_profile_name:contains('Camille')) .o_coop_proposal_accept button:contains('Présélectionner pour un entretien')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The step is confirmed",
            trigger: ".o_coop_saved",
        },
        {
            content: "After the interview, select Camille for the mission",
            trigger: ".o_coop_profile:has(.o_coop_profile_name:contains('Camille')) .o_coop_proposal_accept button:contains('Retenir pour la mission')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Give the reason to decline Bruno",
            trigger: ".o_coop_profile:has(.o_coop_profile_name:contains('Bruno')) .o_coop_proposal_decline input[name='reason']",
            run: "edit Nous cherchons un profil comptable",
        },
        {
            content: "Decline Bruno",
            trigger: ".o_coop_profile:has(.o_coop_profile_name:contains('Bruno')) .o_coop_proposal_decline button:contains('Décliner')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The selection is done: Camille selected, Bruno declined, no button left",
            trigger: ".o_coop_proposal:has(.o_coop_profile_selected):has(.o_coop_profile_declined):not(:has(.o_coop_proposal_accept)) .o_coop_proposal_state:contains('Sélection terminée')",
        },
    ],
});
