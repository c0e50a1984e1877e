import { registry } from "@web/core/registry";

/**
 * Issue 22, one language at a time: the member agent walks through its membership, trust
 * account, work and invoices pages; each step checks words of the page in the language.
 */
function languageTourSteps(words) {
    return [
        {
            content: `Portal home: the membership card reads "${words.yourMembership}"`,
            trigger: `.o_portal_my_home a[href*='/my/membership']:contains('${words.yourMembership}')`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: `Membership page: "${words.status}" ${words.active}`,
            trigger: `.o_coop_membership:contains('${words.status}'):contains('${words.active}')`,
        },
        {
            content: `Membership page: "${words.memberSince}" and the register entry "${words.subscription}"`,
            trigger: `.o_coop_membership:contains('${words.memberSince}'):contains('${words.subscription}')`,
        },
        {
            content: `Breadcrumb "${words.membership}"`,
            trigger: `.breadcrumb .breadcrumb-item.active:contains('${words.membership}')`,
        },
        {
            content: "Open the trust account",
            trigger: "a.o_coop_trust_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: `Trust account: "${words.guaranteeHeld}" and "${words.balanceDue}"`,
            trigger: `.o_coop_trust:contains('${words.guaranteeHeld}'):contains('${words.balanceDue}')`,
        },
        {
            content: `Trust account: the dispute form "${words.fileDispute}"`,
            trigger: `.o_coop_dispute_form button[type='submit']:contains('${words.fileDispute}')`,
        },
        {
            content: `Breadcrumb back to "${words.membership}"`,
            trigger: `.breadcrumb a:contains('${words.membership}')`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the work page",
            trigger: "a.o_coop_work_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: `Work page: "${words.upcomingInvoice}" and "${words.projectsAndTasks}"`,
            trigger: `.o_coop_work:contains('${words.upcomingInvoice}'):contains('${words.projectsAndTasks}')`,
        },
        {
            content: "The amounts in the language's format",
            trigger: `.o_coop_work:contains('0,00')`,
        },
        {
            content: "Back to the portal home",
            trigger: ".breadcrumb a[href$='/my/home'], .breadcrumb a[href$='/my']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: `Portal home: the invoices card reads "${words.yourInvoices}"`,
            trigger: `.o_portal_my_home a[href*='/my/invoices']:contains('${words.yourInvoices}')`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: `Invoices list: "${words.amountDue}" and "${words.waitingPayment}"`,
            trigger: `.o_portal_my_doc_table:contains('${words.amountDue}'):contains('${words.waitingPayment}')`,
        },
        {
            content: "Open the invoice",
            trigger: ".o_portal_my_doc_table a:contains('INV/')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: `Invoice page: "${words.download}"`,
            trigger: `.o_download_btn:contains('${words.download}')`,
        },
        {
            content: `Invoice page: "${words.payNow}"`,
            trigger: `.o_portal_sidebar:contains('${words.payNow}')`,
        },
    ];
}

registry.category("web_tour.tours").add("coop_portal_french_tour", {
    steps: () =>
        languageTourSteps({
            yourMembership: "Votre adhésion",
            status: "Statut",
            active: "Actif",
            memberSince: "Membre depuis le",
            subscription: "Souscription",
            membership: "Adhésion",
            guaranteeHeld: "Garantie détenue",
            balanceDue: "Solde dû",
            fileDispute: "Introduire la contestation",
            upcomingInvoice: "Prochaine facture de prestation",
            projectsAndTasks: "Projets et tâches",
            yourInvoices: "Vos factures",
            amountDue: "Montant dû",
            waitingPayment: "En attente de paiement",
            download: "Télécharger",
            payNow: "Payer maintenant",
        }),
});

registry.category("web_tour.tours").add("coop_portal_dutch_tour", {
    steps: () =>
        languageTourSteps({
            yourMembership: "Uw lidmaatschap",
            status: "Status",
            active: "Actief",
            memberSince: "Lid sinds",
            subscription: "Inschrijving",
            membership: "Lidmaatschap",
            guaranteeHeld: "Aangehouden waarborg",
            balanceDue: "Openstaand",
            fileDispute: "Protest indienen",
            upcomingInvoice: "Volgende prestatiefactuur",
            projectsAndTasks: "Projecten en taken",
            yourInvoices: "Uw facturen",
            amountDue: "Verschuldigd bedrag",
            waitingPayment: "Wacht op betaling",
            download: "Downloaden",
            payNow: "Nu betalen",
        }),
});
