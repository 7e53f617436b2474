"""The executives' social media questionnaire of seed 001, French original and English
translation.

The seed: "This questionnaire should be administered informally; its purpose is to assess the
general state of social media in an organisation at the present time. Many questions will find
no answer. That is perfectly normal: it represents an ideal to reach." So every answer is
optional, and the form says so.

The questions are kept here in both languages, not in the message catalogue: the French text is
the original and is shown as such next to the translation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language


def other_language() -> str:
    """The language that is not the reader's: each question also shows its text in it."""
    return "fr" if (get_language() or "fr").startswith("en") else "en"


@dataclass(frozen=True)
class Question:
    number: int
    fr: str
    en: str

    @property
    def key(self) -> str:
        return str(self.number)

    @property
    def text(self) -> str:
        return self.en if (get_language() or "fr").startswith("en") else self.fr

    @property
    def other_language_text(self) -> str:
        return self.fr if other_language() == "fr" else self.en


_QUESTIONS = [
    (
        "Quel devraient être le ou les objectifs d’affaires des médias sociaux de votre "
        "organisation pour l’interne?",
        "What should the business objective(s) of your organisation's social media be internally?",
    ),
    (
        "Quel devraient être le ou les objectifs d’affaires des médias sociaux de votre "
        "organisation pour l’externe?",
        "What should the business objective(s) of your organisation's social media be externally?",
    ),
    ("Quels sont vos propres objectifs ?", "What are your own objectives?"),
    (
        "Avez-vous un fichier qui identifie les comptes blogues, Forums, WIKIS, Twitter, "
        "Facebook, Google +, Flickr, LinkedIn, YouTube, Pinterest , Foursquare, ou autre que "
        "vous gérez pour l’interne ou pour l’externe ? Comment sont-ils évalués ?",
        "Do you have a file listing the blog, forum, wiki, Twitter, Facebook, Google+, Flickr, "
        "LinkedIn, YouTube, Pinterest, Foursquare or other accounts you manage internally or "
        "externally? How are they evaluated?",
    ),
    (
        "Puis-je voir un exemple type de rapport que votre service produit pour des clients "
        "interne?",
        "May I see a typical example of a report your department produces for internal clients?",
    ),
    (
        "Avez-vous un mapping des permissions et des autorisations de publier des contenus sur "
        "les médias sociaux (interne ou externe)?",
        "Do you have a map of the permissions and authorisations to publish content on social "
        "media (internal or external)?",
    ),
    (
        "Avez-vous une ou des politiques éditoriales ?",
        "Do you have one or more editorial policies?",
    ),
    ("Avez-vous un calendrier des contenus ?", "Do you have a content calendar?"),
    (
        "Vos employés savent-ils les limites de ce qu’ils peuvent ou ne peuvent dire sur les "
        "médias sociaux ? Ont-ils signé un protocole de navigation Web ?",
        "Do your employees know the limits of what they can and cannot say on social media? "
        "Have they signed a web usage agreement?",
    ),
    (
        "Qu’est-ce qui est actuellement monitoré pour les clients internes et externes sur les "
        "médias sociaux ?",
        "What is currently monitored on social media for internal and external clients?",
    ),
    (
        "Quelle est l’initiative interne ou externe sur les médias sociaux dont vous êtes le "
        "Plus fier ? et pourquoi ?",
        "Which internal or external social media initiative are you proudest of, and why?",
    ),
    (
        "Quel est votre échec média sociaux le plus important ?",
        "What is your biggest social media failure?",
    ),
    (
        "Quels sont les plus importants concurrents que vous avez identifiés ? Qu’offrent-ils ?",
        "Who are the most important competitors you have identified? What do they offer?",
    ),
    (
        "Quel type d’activité médias sociaux avez-vous développée, supervisée pour des clients "
        "internes et/ou externes ?",
        "What kind of social media activity have you developed or supervised for internal "
        "and/or external clients?",
    ),
    (
        "Qui devrait faire le monitorage chez vous et pourquoi?",
        "Who should do the monitoring in your organisation, and why?",
    ),
    (
        "Qui devrait faire la stratégie des clients internes chez vous et pourquoi?",
        "Who should set the strategy for internal clients in your organisation, and why?",
    ),
    (
        "Qui devrait faire la stratégie des clients externes chez vous et pourquoi?",
        "Who should set the strategy for external clients in your organisation, and why?",
    ),
    (
        "Qui devrait faire les contenus médias sociaux interne chez vous et pourquoi?",
        "Who should create the internal social media content in your organisation, and why?",
    ),
    (
        "Qui devrait faire les contenus médias sociaux externe chez vous et pourquoi ?",
        "Who should create the external social media content in your organisation, and why?",
    ),
    (
        "Qui devrait faire la gestion de communautés internes chez vous et pourquoi ?",
        "Who should manage the internal communities in your organisation, and why?",
    ),
    (
        "Qui devrait faire la gestion de communautés externes chez vous et pourquoi ?",
        "Who should manage the external communities in your organisation, and why?",
    ),
    (
        "Qui devrait gérer les outils de mesures statistiques et de ROI Médias sociaux pour des "
        "clients internes et/ou externes ? ?",
        "Who should run the statistics and social media ROI measurement tools for internal "
        "and/or external clients?",
    ),
    (
        "Si nous devions mettre toutes les ressources affectées aux médias sociaux de votre "
        "organisation sous une seule vice-présidence, ce devrait être laquelle et pourquoi ?",
        "If all the resources assigned to social media in your organisation were to be placed "
        "under a single vice-presidency, which one should it be, and why?",
    ),
    (
        "Croyez-vous que les médias sociaux devraient plutôt être gérés par tous les employés ?",
        "Do you believe social media should rather be managed by all employees?",
    ),
    (
        "Quelles sont les mesures de rendements des médias sociaux qui sont déjà en place ?",
        "Which social media performance measures are already in place?",
    ),
    (
        "Quel est le plus gros enjeu de croissance d’une unité média sociaux de votre "
        "organisation?",
        "What is the biggest growth challenge for a social media unit in your organisation?",
    ),
    (
        "Comment jugez-vous du niveau de connaissance des médias sociaux des employés, des "
        "départements chez de votre organisation?",
        "How do you rate the social media knowledge of the employees and departments in your "
        "organisation?",
    ),
]

QUESTIONS: tuple[Question, ...] = tuple(
    Question(number, fr, en) for number, (fr, en) in enumerate(_QUESTIONS, start=1)
)
QUESTION_KEYS = frozenset(q.key for q in QUESTIONS)
ANSWER_MAX_LENGTH = 5000
