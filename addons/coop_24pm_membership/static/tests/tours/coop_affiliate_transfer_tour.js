import { registry } from "@web/core/registry";

/** ROI 2019 art. 3: the affiliate's agent signs the transfer contract on the portal, in French. */
registry.category("web_tour.tours").add("coop_affiliate_transfer_tour", {
    steps: () => [
        {
            content: "The membership shows the transfer contract to sign",
            trigger: ".o_coop_transfer_link:contains('Lire et signer le contrat de transfert')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The page says what is kept",
            trigger: ".o_coop_transfer:contains('Votre part B et votre garantie sont conservées')",
        },
        {
            content: "Capacity of the signatory",
            trigger: "input[name='signatory_capacity']",
            run: "edit Gérant",
        },
        {
            content: "Name of the signatory",
            trigger: "input[name='signatory_name']",
            run: "edit Luc Gérant",
        },
        {
            content: "State the power to bind the company",
            trigger: "input[name='has_power']",
            run: "click",
        },
        {
            content: "Sign",
            trigger: ".o_coop_transfer_submit:contains('Signer le contrat de transfert')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Signed: the contract is governed by the new regulation",
            trigger: ".o_coop_saved:contains('Votre contrat de transfert est signé')",
        },
        {
            content: "The new regulation is in force",
            trigger: ".o_coop_regulation:contains('ROI 2023')",
        },
    ],
});
