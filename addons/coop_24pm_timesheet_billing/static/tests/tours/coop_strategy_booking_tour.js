import { registry } from "@web/core/registry";

/** Issue 16, SPEC 3.1: the agent books a strategic meeting of its plan, in French. */
registry.category("web_tour.tours").add("coop_strategy_booking_tour", {
    steps: () => [
        {
            content: "The booking form, with the price of an hour beyond the plan",
            trigger: ".o_coop_book:contains('Réserver'):contains('165,60')",
        },
        {
            content: "Date",
            trigger: ".o_coop_book input[name='date']",
            run() {
                this.anchor.value = "2027-03-09";
            },
        },
        {
            content: "Duration",
            trigger: ".o_coop_book input[name='hours']",
            run() {
                this.anchor.value = "1.5";
            },
        },
        { content: "Topic", trigger: ".o_coop_book textarea[name='topic']", run: "edit Préparer 2027" },
        {
            content: "Book",
            trigger: ".o_coop_book_submit",
            run: "click",
            expectUnloadPage: true,
        },
        { content: "The page says it is booked", trigger: ".o_coop_booked:contains('Réservé')" },
        { content: "The meeting is listed", trigger: ".o_coop_booked_list tbody tr" },
    ],
});

/** Issue 16, SPEC 3.1: the agent books a strategic diagnosis for a director, in French. */
registry.category("web_tour.tours").add("coop_diagnosis_booking_tour", {
    steps: () => [
        {
            content: "Choose the strategic diagnosis",
            trigger: ".o_coop_book select[name='kind']",
            run: "select diagnosis",
        },
        {
            content: "For Paul, the director",
            trigger: ".o_coop_book select[name='director_id']:has(option:contains('Paul Projets'))",
            run: "selectByLabel Paul Projets",
        },
        { content: "Topic", trigger: ".o_coop_book textarea[name='topic']", run: "edit Diagnostic 2027" },
        { content: "Book without accepting the price", trigger: ".o_coop_book_submit", run: "click", expectUnloadPage: true },
        {
            content: "Refused: the price of the diagnosis is shown in French",
            trigger: ".o_coop_error:contains('Le diagnostic stratégique'):contains('95,00')",
        },
        { content: "Choose it again", trigger: ".o_coop_book select[name='kind']", run: "select diagnosis" },
        {
            content: "The director again",
            trigger: ".o_coop_book select[name='director_id']",
            run: "selectByLabel Paul Projets",
        },
        { content: "Topic", trigger: ".o_coop_book textarea[name='topic']", run: "edit Diagnostic 2027" },
        { content: "Accept the price", trigger: ".o_coop_book input[name='price_accepted']", run: "check" },
        { content: "Book", trigger: ".o_coop_book_submit", run: "click", expectUnloadPage: true },
        { content: "Booked", trigger: ".o_coop_booked:contains('Réservé')" },
    ],
});

/** Issue 16, SPEC 3.1: a Partner 2023 member orders one of its free strategic study reports, in French. */
registry.category("web_tour.tours").add("coop_study_report_tour", {
    steps: () => [
        {
            content: "Free study reports left this year",
            trigger: ".o_coop_free_reports:contains('2')",
        },
        { content: "Choose a study report", trigger: ".o_coop_book select[name='kind']", run: "select study_report" },
        { content: "Topic", trigger: ".o_coop_book textarea[name='topic']", run: "edit Étude de marché" },
        { content: "Order", trigger: ".o_coop_book_submit", run: "click", expectUnloadPage: true },
        { content: "Booked", trigger: ".o_coop_booked:contains('Réservé')" },
        { content: "One free report left", trigger: ".o_coop_free_reports:contains('1')" },
    ],
});
