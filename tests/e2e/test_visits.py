"""Each bundled démarche filled end to end through the screen, as a resident would.

Every visit takes one wrong answer that is refused with its message (what was typed
stays), one "Modifier" from the review, a question that appears only after the answer
that calls for it, and leaves with a reference that the offline queue really holds.
"""

from __future__ import annotations

from tests.e2e.resident import REFERENCE, Resident

STREETS = "Services techniques : rues et propreté"


def leaves_with_one_queued_reference(resident: Resident, queued, demarche_id: str) -> str:
    reference = resident.send()
    assert REFERENCE.fullmatch(reference)
    items = queued()
    assert [(i.reference, i.kind) for i in items] == [(reference, demarche_id)]
    assert resident.kiosk.guide.session is None  # the answers are gone from memory
    return reference


def test_a_resident_reports_a_broken_street_lamp_and_leaves_with_a_reference(resident, queued):
    resident.start()
    resident.open_demarche("Un problème dans la rue")

    resident.asked("Quel est le problème ?")
    resident.next()
    resident.refused("Choisissez une réponse pour continuer.")
    resident.choose("Lampe de rue en panne")
    resident.next()

    resident.asked("Où est le problème ?")
    resident.choose("Rue des Lilas")
    resident.next()

    resident.asked("Décrivez le problème en quelques mots.")
    resident.write("Décrivez le problème en quelques mots.", "Noir")
    resident.next()
    resident.refused("Écrivez un peu plus : au moins 5 lettres.")
    assert resident.text_in("Décrivez le problème en quelques mots.") == "Noir"
    resident.write("Décrivez le problème en quelques mots.", " complet le soir")
    resident.next()

    resident.asked("Est-ce dangereux pour les personnes ?")
    resident.choose("Non")
    resident.next()

    # No call back wanted: no phone number asked.
    resident.asked("Voulez-vous un appel quand c'est réparé ?")
    resident.choose("Non")
    resident.next()
    resident.asked("J'accepte que la mairie utilise mes réponses pour ce problème.")
    resident.press("Retour")
    # A call back wanted: now the phone number is asked.
    resident.asked("Voulez-vous un appel quand c'est réparé ?")
    resident.choose("Oui")
    assert not resident.is_chosen("Non")
    resident.next()
    resident.asked("Quel est votre numéro de téléphone ?")
    resident.write("Quel est votre numéro de téléphone ?", "06 12 34 56 78")
    resident.next()

    resident.asked("J'accepte que la mairie utilise mes réponses pour ce problème.")
    resident.choose("J'accepte")
    resident.next()

    assert resident.review() == {
        "Quel est le problème ?": "Lampe de rue en panne",
        "Où est le problème ?": "Rue des Lilas",
        "Décrivez le problème en quelques mots.": "Noir complet le soir",
        "Est-ce dangereux pour les personnes ?": "Non",
        "Voulez-vous un appel quand c'est réparé ?": "Oui",
        "Quel est votre numéro de téléphone ?": "06 12 34 56 78",
        "J'accepte que la mairie utilise mes réponses pour ce problème.": "J'accepte",
    }
    resident.modify("Est-ce dangereux pour les personnes ?")
    assert resident.is_chosen("Non")
    resident.choose("Oui")
    resident.next()
    assert resident.review()["Est-ce dangereux pour les personnes ?"] == "Oui"

    leaves_with_one_queued_reference(resident, queued, "signalement-rue")
    assert any(STREETS in text for text in resident.texts())


def test_a_resident_asks_for_a_birth_certificate_collected_by_post(resident, queued):
    resident.start()
    resident.open_demarche("Acte de naissance, de mariage ou de décès")
    resident.asked("Quel acte voulez-vous ?")
    resident.choose("Acte de naissance")
    resident.next()
    resident.choose("Extrait (résumé)")
    resident.next()
    resident.choose("Pour moi")
    resident.next()

    name = "Quel est le nom et le prénom de la personne sur l'acte ?"
    resident.asked(name)
    resident.write_on_screen_keyboard(name, "Jeanne Martin")
    resident.press("Valider")  # the keyboard's "Valider" goes on, like Enter

    date = "Quelle est la date de la naissance, du mariage ou du décès ?"
    resident.asked(date)
    resident.write(f"Jour - {date}", "31")
    resident.write(f"Mois - {date}", "02")
    resident.write(f"Année - {date}", "1950")
    resident.next()
    resident.refused("Ce jour n'existe pas dans ce mois. Vérifiez le jour.")
    assert [resident.text_in(f"{box} - {date}") for box in ("Jour", "Mois", "Année")] == [
        "31", "02", "1950",
    ]
    resident.erase(f"Jour - {date}")
    resident.write(f"Jour - {date}", "12")
    resident.next()

    reception = "Comment voulez-vous recevoir l'acte ?"
    resident.asked(reception)
    resident.choose("Je viens le chercher à la mairie")
    resident.next()
    resident.asked("Quel est votre numéro de téléphone ?")  # only to collect it in person
    resident.press("Retour")
    resident.asked(reception)
    resident.choose("Par la poste, chez moi")
    resident.next()

    address = "À quelle adresse envoyer l'acte ?"
    resident.asked(address)  # only to receive it by post
    resident.write(f"Numéro et rue - {address}", "12 rue des Lilas")
    resident.write(f"Code postal - {address}", "72999")
    resident.write(f"Commune - {address}", "Admiville")
    resident.next()
    resident.asked("J'accepte que la mairie utilise mes réponses pour ma demande.")
    resident.choose("J'accepte")
    resident.next()

    review = resident.review()
    assert "Quel est votre numéro de téléphone ?" not in review
    assert review["Quel acte voulez-vous ?"] == "Acte de naissance"
    assert review[name] == "Jeanne Martin"
    assert "1950" in review[date]
    assert "12" in review[date]
    assert "12 rue des Lilas" in review[address]
    assert "72999" in review[address]
    resident.modify("Quel acte voulez-vous ?")
    resident.choose("Acte de mariage")
    resident.next()
    assert resident.review()["Quel acte voulez-vous ?"] == "Acte de mariage"

    leaves_with_one_queued_reference(resident, queued, "acte-etat-civil")
    assert any("État civil" in text for text in resident.texts())


def test_a_resident_asks_for_housing_for_a_family_of_three(resident, queued):
    resident.start()
    resident.open_demarche("Demande de logement")
    resident.asked("Cette demande aide la mairie à connaître vos besoins.")  # information
    resident.next()
    resident.asked("Quel est votre nom et votre prénom ?")
    resident.write("Quel est votre nom et votre prénom ?", "Jeanne Martin")
    resident.next()

    people = "Combien de personnes vont vivre dans le logement, avec vous ?"
    resident.asked(people)
    resident.write(people, "0")
    resident.next()
    resident.refused("Écrivez au moins 1 : vous-même.")
    assert resident.text_in(people) == "0"
    resident.erase(people)
    resident.write(people, "3")
    resident.next()

    resident.asked("Où habitez-vous aujourd'hui ?")
    resident.choose("J'habite chez une autre personne")
    resident.next()
    resident.asked("De quoi avez-vous besoin ?")
    resident.choose("Un logement plus grand")
    resident.choose("Un loyer moins cher")  # several needs at once
    assert resident.is_chosen("Un logement plus grand")
    resident.next()
    resident.asked("Voulez-vous dire autre chose ?")  # optional: left empty
    resident.next()
    resident.write("Quel est votre numéro de téléphone ?", "0612345678")
    resident.next()
    resident.choose("J'accepte")
    resident.next()

    review = resident.review()
    assert "Cette demande aide la mairie à connaître vos besoins." not in review
    assert review[people] == "3"
    assert review["De quoi avez-vous besoin ?"] == "Un logement plus grand, Un loyer moins cher"
    resident.modify(people)
    assert resident.text_in(people) == "3"
    resident.erase(people)
    resident.write(people, "4")
    resident.next()
    assert resident.review()[people] == "4"

    leaves_with_one_queued_reference(resident, queued, "demande-logement")
    assert any("Service logement" in text for text in resident.texts())


def test_a_resident_complains_about_the_streets_and_wants_an_answer_by_email(resident, queued):
    resident.start()
    resident.open_demarche("Une plainte ou une idée pour la mairie")
    resident.choose("Me plaindre d'un problème")
    resident.next()
    resident.asked("Votre message parle de quoi ?")
    resident.choose("Rues, propreté, lumières")
    resident.next()

    message = "Que s'est-il passé ? Écrivez avec vos mots."
    resident.write(message, "Trop sale")
    resident.next()
    resident.refused("Écrivez un peu plus : au moins 10 lettres.")
    assert resident.text_in(message) == "Trop sale"
    resident.write(message, " devant l'école, depuis une semaine.")
    resident.next()

    answer_by = "Comment voulez-vous recevoir la réponse ?"
    resident.asked(answer_by)
    resident.choose("Je ne veux pas de réponse")
    resident.next()
    consent = "J'accepte que la mairie utilise mes réponses pour mon message."
    resident.asked(consent)  # no answer wanted: no name, no address asked
    resident.press("Retour")
    resident.choose("Par e-mail")
    resident.next()
    resident.asked("Quel est votre nom et votre prénom ?")
    resident.write("Quel est votre nom et votre prénom ?", "Jeanne Martin")
    resident.next()
    resident.asked("Quelle est votre adresse e-mail ?")
    resident.write("Quelle est votre adresse e-mail ?", "jeanne.martin@example.fr")
    resident.next()
    resident.asked(consent)
    resident.choose("J'accepte")
    resident.next()

    review = resident.review()
    assert review[message] == "Trop sale devant l'école, depuis une semaine."
    assert "Quel est votre numéro de téléphone ?" not in review
    assert "Quelle est votre adresse ?" not in review
    resident.modify("Votre message parle de quoi ?")
    resident.choose("Logement")
    resident.next()
    assert resident.review()["Votre message parle de quoi ?"] == "Logement"

    leaves_with_one_queued_reference(resident, queued, "reclamation-suggestion")
    # The service follows the corrected answer.
    assert any("Service logement" in text for text in resident.texts())


def test_a_parent_books_the_school_canteen_then_enrols_the_child_instead(resident, queued):
    resident.start()
    resident.open_demarche("École, cantine, garderie et vacances")
    resident.asked("Que voulez-vous faire ?")
    resident.choose("Réserver la cantine")
    resident.next()
    resident.write("Quel est le nom et le prénom de l'enfant ?", "Léo Martin")
    resident.next()

    birth = "Quelle est la date de naissance de l'enfant ?"
    resident.write(f"Jour - {birth}", "12")
    resident.write(f"Mois - {birth}", "3")
    resident.write(f"Année - {birth}", "2099")
    resident.next()
    resident.refused("Cette date est dans le futur. Vérifiez l'année.")
    assert resident.text_in(f"Année - {birth}") == "2099"
    resident.erase(f"Année - {birth}")
    resident.write(f"Année - {birth}", "2018")
    resident.next()

    resident.asked("Quels jours de la semaine ?")  # asked for the canteen only
    resident.choose("Lundi")
    resident.choose("Jeudi")
    resident.next()
    start = "À partir de quel jour ?"
    resident.asked(start)
    resident.write(f"Jour - {start}", "1")
    resident.write(f"Mois - {start}", "9")
    resident.write(f"Année - {start}", "2099")
    resident.next()
    resident.asked("Quel est votre nom et votre prénom ?")
    resident.write("Quel est votre nom et votre prénom ?", "Jeanne Martin")
    resident.next()
    resident.write("Quel est votre numéro de téléphone ?", "06 12 34 56 78")
    resident.next()
    resident.choose("J'accepte")
    resident.next()

    review = resident.review()
    assert review["Quels jours de la semaine ?"] == "Lundi, Jeudi"
    assert "Dans quelle école ?" not in review
    resident.modify("Que voulez-vous faire ?")
    resident.choose("Inscrire mon enfant à l'école")
    resident.next()
    resident.asked("Dans quelle école ?")  # now needed, asked before the review
    resident.choose("École maternelle")
    resident.next()
    review = resident.review()
    assert review["Dans quelle école ?"] == "École maternelle"
    assert "Quels jours de la semaine ?" not in review
    assert start not in review

    leaves_with_one_queued_reference(resident, queued, "portail-famille")
    assert any("Service enfance et famille" in text for text in resident.texts())


def test_a_resident_who_does_not_know_whom_to_ask_is_routed_to_planning(resident, queued):
    resident.start()
    resident.open_demarche("Je ne sais pas à quel service m'adresser")
    resident.choose("Travaux chez moi, permis de construire")
    resident.next()
    resident.asked("Est-ce urgent ?")
    resident.choose("Non")
    resident.next()
    resident.write("Écrivez votre question.", "Puis-je construire un abri de jardin ?")
    resident.next()
    resident.choose("Par téléphone")
    resident.next()
    resident.write("Quel est votre nom et votre prénom ?", "Jeanne Martin")
    resident.next()

    phone = "Quel est votre numéro de téléphone ?"
    resident.asked(phone)
    resident.write(phone, "06 12 34")
    resident.next()
    resident.refused("Le numéro doit avoir 10 chiffres. Exemple : 06 12 34 56 78.")
    assert resident.text_in(phone) == "06 12 34"
    resident.write(phone, " 56 78")
    resident.next()
    resident.choose("J'accepte")
    resident.next()

    review = resident.review()
    assert review[phone] == "06 12 34 56 78"
    assert "Quelle est votre adresse e-mail ?" not in review
    resident.modify("Comment voulez-vous recevoir la réponse ?")
    resident.choose("Par e-mail")
    resident.next()
    resident.asked("Quelle est votre adresse e-mail ?")  # now needed
    resident.write("Quelle est votre adresse e-mail ?", "jeanne.martin@example.fr")
    resident.next()
    review = resident.review()
    assert review["Quelle est votre adresse e-mail ?"] == "jeanne.martin@example.fr"
    assert phone not in review

    leaves_with_one_queued_reference(resident, queued, "quel-service")
    assert any("Urbanisme : travaux et permis" in text for text in resident.texts())
