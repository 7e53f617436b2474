"""French texts for the demo blogs, taken from the seed documents (../shared/seeds/ 000,
002, 003 and 004): posts on enterprise 2.0 and executives' leadership of social media."""

# ruff: noqa: E501

SEED_000 = {
    "blocks": [
        (
            "paragraph",
            "Les médias sociaux et/ou numériques relèvent d’une fonction de communication, bien "
            "sûr, mais leurs possibilités ne se limitent pas à celle-ci. En fait, la "
            "transformation numérique à laquelle les organisations doivent faire face "
            "entraîne(ra) des changements structurels à l’ensemble de l’organisation; changements "
            "dont l’objectif est de profiter au maximum des possibilités qu'offrent les médias "
            "sociaux.",
        ),
        (
            "paragraph",
            "L’expérience numérique (ou digitale ou sociale) influence les modèles d’affaires, "
            "les processus opérationnels, la gouvernance, l'existence de certaines fonctions "
            "organisationnelles et l’interaction entre elles, et même les marchés et clientèles "
            "cibles de l’organisation.",
        ),
        (
            "paragraph",
            "Pour que cette transformation en profondeur puisse se faire en prenant avantage de "
            "toutes les opportunités que les médias sociaux nous apportent, j’en suis venu à "
            "penser (et ceci était, il n’y a pas si longtemps, une hérésie) que cette "
            "transformation devrait être déclenchée au sommet de la pyramide organisationnelle "
            "(top-driven, plutôt que bottom-up).",
        ),
        (
            "paragraph",
            "Une personne intelligente, motivée et convaincante au sein de l’équipe des "
            "communications peut changer un certain nombre de choses. Mais pour réellement "
            "transformer une organisation, il faut que la haute direction fasse plus que "
            "simplement accepter ces changements. La haute direction doit pousser pour qu'ils se "
            "fassent.",
        ),
        (
            "paragraph",
            "La haute direction doit, notamment, imposer une vision tendant vers la "
            "transformation, l’évolution et l’innovation. Et cette vision doit être appuyée sur "
            "les indicateurs d’évaluation pertinents (KPI ou key performance indicators) "
            "comprenant, notamment, le taux d’adoption des nouvelles techniques de "
            "communication.",
        ),
        (
            "paragraph",
            "Malgré tout le bruit que l’on fait actuellement autour de l’adoption des médias "
            "sociaux par les organisations, on a encore beaucoup (beaucoup!) de chemin à "
            "parcourir avant de crier victoire.",
        ),
        (
            "paragraph",
            "Mais les organisations qui approchent ces changements en se disant que ce sont "
            "simplement des changements technologiques font fausse route. Ce sont des changements "
            "de comportement qui sont nécessaires. Et ces changements relèvent de la gestion et "
            "des gens. Pas juste des technologies.",
        ),
        ("paragraph", "P.-S. J'y reviendrai sûrement dans de futurs billets."),
    ],
    "comment": "Hérésie ou non, je suis tout à fait d'accord avec toi, Camille. On parle d'un "
    "changement majeur au sein d'une organisation et pour ça, il faut beaucoup plus que "
    "l'accord des dirigeants. Ils doivent mener la charge.",
    "title": "Adopter les médias sociaux, c’est beaucoup plus que simplement utiliser de nouvelles "
    "technologies de communication",
}

SEED_002_SECTIONS = [
    {
        "blocks": [
            (
                "paragraph",
                "Non content de se concentrer sur les avantages que l’engagement social et numérique "
                "peut apporter, certains défenseurs aiment lancer des avertissements sur la "
                "disparition inévitable des organisations qui ne sautent pas dans le train social et "
                "numérique. Succombant à cette pression, ou peut-être se sentant obligés par l’effet "
                "de train lui-même, les dirigeants se sont progressivement intéressés à ajouter "
                "diverses formes d’engagement social et numérique à leurs priorités d’entreprise "
                "pour s’assurer de ne rien manquer.",
            ),
            (
                "paragraph",
                "Bien qu’ils aient peut-être décidé d’explorer le potentiel de la technologie, de "
                "nombreux dirigeants qui poursuivent des initiatives d’engagement social et "
                "numérique sont naturellement tentés d’externaliser ou de déléguer la responsabilité "
                "de ces initiatives. Les raisons de cette tentation comprennent les suivantes :",
            ),
            (
                "list",
                [
                    "Ils sont déjà extrêmement occupés à poursuivre une foule d’autres priorités et se "
                    "sentent incapables d’ajouter une chose de plus à leurs listes de choses à faire.",
                    "Ils ont eux-mêmes une connaissance limitée des technologies sociales et numériques "
                    "et ont à peine commencé à gravir leurs propres courbes d’apprentissage. Par "
                    "conséquent, ils peuvent ne pas se sentir qualifiés pour assumer un rôle de "
                    "leadership direct.",
                    "Leur manque de familiarité peut également contribuer à la perspective que les "
                    "initiatives de technologies sociales et numériques sont des projets "
                    "complémentaires indépendants plutôt que des efforts qui devraient être intégrés "
                    "dans la poursuite de la mission et des priorités de l’organisation.",
                    "Parce qu’il existe de faibles obstacles à l’accès et à l’utilisation de nombreuses "
                    "plateformes et outils sociaux et numériques, ainsi qu’un engagement financier "
                    "apparemment faible, ils peuvent sous-estimer la complexité stratégique de leur "
                    "exploitation efficace.",
                    "La sous-estimation de la complexité stratégique des technologies sociales et "
                    "numériques peut amener les dirigeants à supposer que les approches nécessaires "
                    "sont principalement tactiques, une hypothèse qui est renforcée par l’accent "
                    "généralisé sur des activités spécifiques telles que les blogs et les tweets. Par "
                    "conséquent, ils peuvent conclure que ces activités peuvent être découpées et "
                    "gérées par quelqu’un qui n’est pas engagé dans les fonctions organisationnelles "
                    "essentielles.",
                    "Les « Engagez-moi ! » ne manquent pas ! les prestataires de services sociaux et "
                    "technologiques numériques qui renforcent l’idée que ces activités peuvent "
                    "facilement être externalisées tout en produisant d’excellents résultats.",
                ],
            ),
            (
                "paragraph",
                "De toute évidence, les dirigeants ne peuvent pas s’impliquer dans les aspects "
                "détaillés des efforts de technologie sociale et numérique de leur organisation. "
                "Mais étant donné l’ampleur des enjeux liés à l’engagement social et numérique, en "
                "termes de risques et de récompenses, il leur incombe – et dans l’intérêt de leur "
                "organisation – d’en faire une priorité personnelle.",
            ),
            (
                "paragraph",
                "Voici mes recommandations sur ce que les dirigeants devraient faire pour assurer le "
                "leadership nécessaire dans leurs organisations, non seulement à court terme, mais à "
                "long terme.",
            ),
        ],
        "heading": None,
    },
    {
        "blocks": [
            (
                "paragraph",
                "En raison du potentiel des technologies sociales et numériques à modifier "
                "considérablement le fonctionnement des organisations, tant à l’externe qu’à "
                "l’interne, les dirigeants doivent se renseigner sur ces technologies, ainsi que sur "
                "leurs applications et leurs implications. Cela leur permettra de prendre les "
                "meilleures décisions possibles sur la façon d’aller de l’avant et de fournir les "
                "orientations stratégiques dont leurs organisations et autres parties prenantes ont "
                "besoin, en plus d’allouer correctement les ressources financières et autres (en "
                "particulier le capital humain).",
            ),
            (
                "paragraph",
                "Cela ne veut pas dire que les dirigeants ne doivent pas utiliser ou compter sur des "
                "experts en technologie sociale et numérique – loin de là. Surtout dans les "
                "premières étapes, il n’est pas logique que les dirigeants essaient d’investir le "
                "temps et l’attention nécessaires pour développer des connaissances et une expertise "
                "approfondies. Mais les dirigeants doivent comprendre et accepter que c’est leur "
                "montagne à gravir. Les experts en technologie sociale et numérique peuvent servir "
                "de Sherpas, mais les dirigeants sont en charge de l’expédition et doivent "
                "développer la perspective d’ensemble nécessaire à ce rôle.",
            ),
        ],
        "heading": "Se former pour mieux tirer parti de l’expertise des autres",
    },
    {
        "blocks": [
            (
                "paragraph",
                "Une fois qu’ils ont commencé à développer une compréhension de haut niveau, l’étape "
                "suivante consiste à évaluer la valeur stratégique des technologies et de "
                "l’engagement sociaux et numériques. Les dirigeants organisationnels doivent "
                "identifier leurs buts et objectifs stratégiques, puis explorer SI et COMMENT les "
                "technologies sociales et numériques peuvent aider à les atteindre. Ils doivent "
                "déballer des idées telles que « nous voulons plus de clients » pour identifier en "
                "termes plus spécifiques ce que ces idées signifient dans le contexte de facteurs "
                "tels que la mission de l’organisation, ses valeurs fondamentales, les principales "
                "parties prenantes et l’environnement concurrentiel dans lequel elle opère. Ces "
                "informations, associées à une solide compréhension des technologies sociales et "
                "numériques, peuvent permettre aux dirigeants d’identifier les plates-formes, outils "
                "et applications, le cas échéant, susceptibles d’améliorer les performances et de "
                "maximiser les résultats.",
            ),
            (
                "paragraph",
                "Étant donné que nous en sommes encore aux premiers stades de la (r)évolution "
                "sociale et numérique, de nombreux dirigeants peuvent conclure à la suite de cette "
                "évaluation qu’ils peuvent continuer à réussir sans (encore) tirer parti de ces "
                "technologies. C’est une conclusion tout à fait acceptable. Bien que les "
                "technologies sociales et numériques puissent en théorie améliorer chaque type "
                "d’opération, en réalité cela peut ne pas être nécessaire ou pratique pour certaines "
                "d’entre elles. De nombreuses personnes s’entendent encore très bien avec des "
                "rolodex papier, des téléphones à cadran et pas d’ordinateurs, et il existe de "
                "nombreuses organisations prospères qui n’ont même pas encore de sites Web, et "
                "encore moins quelque chose de plus sophistiqué. Bien qu’ils soient des dinosaures "
                "technologiques, ils sont loin de disparaître complètement.",
            ),
            (
                "paragraph",
                "Décider « pas maintenant » ou « pas encore » ne doit cependant pas être considéré "
                "comme permanent. Les dirigeants doivent périodiquement réexaminer la question pour "
                "déterminer quand s’engager davantage sur le plan social et numérique sera dans "
                "l’intérêt de leur organisation.",
            ),
            (
                "paragraph",
                "Lorsque les dirigeants concluent que tirer parti des technologies sociales et "
                "numériques a une valeur stratégique, ils doivent déterminer la meilleure façon de "
                "procéder. Bien qu’il puisse être tentant de penser en termes de tactiques (par "
                "exemple, bloguer ou créer un compte Twitter), un ensemble de tactiques ne constitue "
                "pas une stratégie. En s’appuyant sur les résultats de l’évaluation stratégique, les "
                "dirigeants de l’organisation doivent orienter l’élaboration d’un plan qui "
                "correspond le mieux à leurs caractéristiques opérationnelles. Il n’y a pas "
                "d’approche « taille unique ».",
            ),
            (
                "paragraph",
                "Parce qu’elles sont mieux perçues comme un moyen vers une fin plutôt qu’une fin en "
                "soi, il est préférable d’intégrer les technologies sociales et numériques dans "
                "d’autres projets et activités organisationnels plutôt que de les traiter comme des "
                "initiatives autonomes. Les approches développées doivent respecter les complexité "
                "sous-jacente des technologies sociales et numériques. Les idées et les principes "
                "qui sous-tendent ces technologies peuvent être assez simples, et bon nombre des "
                "plates-formes et des outils sont intuitifs et conviviaux, mais simple ne veut pas "
                "dire facile. Comme de nombreuses organisations l’ont découvert – à la dure – faire "
                "les choses correctement est beaucoup plus difficile qu’il n’y paraît à première "
                "vue. Il n’est pas dans l’intérêt à long terme d’une organisation de sous-estimer "
                "les défis liés à l’exploitation des technologies sociales et numériques.",
            ),
        ],
        "heading": "Développer une approche stratégique et intégrée pour tirer parti des technologies "
        "sociales et numériques",
    },
    {
        "blocks": [
            (
                "paragraph",
                "La stratégie et les approches de l’organisation en matière de technologies sociales "
                "et numériques orienteront les décisions sur la manière d’allouer les ressources aux "
                "diverses initiatives. Comme indiqué dans cet article, pour de nombreuses "
                "organisations, l’engagement financier pour poursuivre ces initiatives ne sera pas "
                "significatif ; cependant, l’engagement de temps ne peut pas être sous-estimé. La "
                "capacité compte beaucoup. Les moteurs de l’engagement social et numérique sont "
                "alimentés par le temps, les efforts et l’expertise des êtres humains. Même à une "
                "époque où l’on essaie de faire plus avec moins, les organisations doivent allouer "
                "des ressources humaines aux initiatives technologiques et leur donner l’espace et "
                "le soutien dont elles ont besoin pour réussir. Il n’y a pas de raccourcis ici.",
            ),
            (
                "paragraph",
                "En décidant comment allouer les ressources humaines, il est tentant pour les "
                "dirigeants d’attribuer des responsabilités en matière de médias sociaux en "
                "particulier aux employés subalternes, pour plusieurs raisons. Parce que les "
                "dirigeants eux-mêmes ne sont pas familiers avec les médias sociaux, ils peuvent "
                "penser qu’il faut un ensemble unique de compétences qui viennent naturellement aux "
                "« natifs numériques » et peuvent être supposés être trop difficiles à apprendre "
                "rapidement pour les « immigrants numériques ». De plus, en raison de la tendance à "
                "trop insister sur les tactiques et à sous-estimer la stratégie, ils peuvent opérer "
                "avec la croyance erronée que ces activités ne sont pas assez importantes pour "
                "mériter le temps et l’attention d’un personnel plus expérimenté. En d’autres "
                "termes, on a tendance à supposer que la technologie l’emporte sur le contenu. La "
                "vérité est, cependant, que l’expertise en matière de contenu est beaucoup plus "
                "importante pour le succès des médias sociaux que l’expertise technologique. "
                "Lorsqu’elles sont considérées comme étant intégrées aux priorités stratégiques "
                "d’une organisation, il est clair que les personnes assumant les rôles d’engagement "
                "social et numérique les plus importants devraient être celles qui comprennent le "
                "mieux l’organisation et ses priorités, ses parties prenantes et son environnement "
                "opérationnel.",
            ),
            (
                "paragraph",
                "Cela ne signifie pas que les dirigeants ne doivent pas déléguer ou externaliser les "
                "activités d’engagement social et numérique, mais ils doivent être intelligents "
                "quant à la manière dont ils exploitent les ressources à leur disposition pour "
                "atteindre leurs objectifs. Comme pour les autres aspects des opérations "
                "organisationnelles, les activités les plus étroitement liées au fonctionnement de "
                "base de l’organisation devraient probablement rester en interne, et plus une "
                "activité est étroitement liée à la mission de l’organisation, plus les personnes "
                "les plus expérimentées devraient être impliquées.",
            ),
        ],
        "heading": "Allouer des ressources pour maximiser l’efficacité et réduire les risques",
    },
    {
        "blocks": [
            (
                "paragraph",
                "Une fois que les dirigeants ont décidé que l’engagement social et numérique est un "
                "impératif stratégique, ils doivent identifier leur propre rôle et prendre "
                "l’engagement nécessaire pour réussir dans ce rôle. Au minimum, ils doivent assumer "
                "personnellement la responsabilité d’être connectés aux efforts d’engagement social "
                "et numérique de l’organisation, tant à l’externe qu’à l’interne. Si l’organisation "
                "a des comptes Twitter, par exemple, les dirigeants doivent les suivre. S’il existe "
                "des blogs internes, ils doivent s’abonner et lire autant de blogs parmi les plus "
                "pertinents que possible.",
            ),
            (
                "paragraph",
                "Dans de nombreux cas, il peut être approprié que les dirigeants assument un rôle "
                "plus actif, notamment en bloguant et en tweetant eux-mêmes, ainsi qu’en publiant et "
                "en répondant à des éléments sur les réseaux sociaux internes. Cela ne peut "
                "cependant pas être un engagement nominal. Dans la mesure du possible, les "
                "dirigeants doivent assumer cette responsabilité directement plutôt que de permettre "
                "à quelqu’un de « poster fantôme » pour eux. La nécessité d’exprimer la perspective "
                "du leadership en utilisant une voix authentique est plus critique que jamais à "
                "l’ère numérique. Les communications des dirigeants sont désormais guidées par des "
                "conversations et une collaboration informelles plutôt que par la publication de "
                "déclarations et d’édits officiels. Pour plus d’informations dans ce sens, consultez "
                "l’enquête 2014 Global Social CEO Survey de BRANDfog.",
            ),
            (
                "paragraph",
                "Pour permettre un engagement personnel envers l’engagement social, les dirigeants "
                "doivent Fabriquer le temps d’apprendre et d’utiliser divers outils de médias "
                "sociaux. Ils ont hâte de trouver le temps, parce que cela n’arrivera jamais. La "
                "plupart d’entre nous n’ont pas suffisamment de capacité excédentaire pour ajouter "
                "de nouvelles activités sans renoncer aux anciennes. Cela signifie que les "
                "dirigeants d’organisation devront peut-être réexaminer les choses sur lesquelles "
                "ils passent actuellement du temps pour décider lesquelles de leurs activités les "
                "moins productives ils devraient abandonner pour faire place à des efforts "
                "potentiellement plus précieux sur les réseaux sociaux.",
            ),
        ],
        "heading": "Prendre un engagement personnel",
    },
    {
        "blocks": [
            (
                "paragraph",
                "Comme toujours, j’apprécie vos commentaires. Qu’ajouteriez-vous, modifieriez-vous "
                "ou supprimeriez-vous des recommandations ci-dessus ? Quels autres aspects du "
                "leadership sont essentiels à un engagement social et numérique efficace ?",
            )
        ],
        "heading": "Tes pensées?",
    },
]

SEED_003_TITLE = "Impliquer tous les services de l’entreprise dans les médias sociaux"
SEED_003 = [
    (
        "paragraph",
        "Les médias sociaux sont dans l'ère du temps, mais ils ne sont pas nécessairement un passage "
        "obligé. Dans la première recommandation, nous mettions en avant le besoin d'analyser "
        "l'écosystème avant de procéder à toute actions sur les médias sociaux. La deuxième mettait en "
        "avant l'importance de définir des objectifs indépendamment des outils, comme pour beaucoup de "
        "projets en entreprise.",
    ),
    (
        "paragraph",
        "Aujourd'hui, nous allons développer la nécessité d'impliquer fortement les différents services "
        "de l'entreprise, si cette dernière envisage une présence sur le long terme sur les médias "
        "sociaux.",
    ),
    (
        "paragraph",
        "Certes, et c'est recommandé, les médias sociaux peuvent être confinés dans un premier temps à "
        'un département bien identifié. Cela peut être l\'étape test "pour voir". Rapidement, si '
        "l'entreprise a pour ambition de s'impliquer plus fortement, l'engagement est transversal entre "
        "les différents services, en particulier ceux en contact avec les clients : le marketing, la "
        "vente, le service après-vente. Comme on l'a vu, les médias sociaux impliquent une approche bien "
        "différente du modèle habituel de gestion de la communication et de l'information. "
        "Traditionnellement, l'entreprise est certes à l'écoute du client via des études de marchés, via "
        "son service Marketing et via son service Après-Vente. Elle décide ensuite de sa stratégie de "
        "communication et de vente et l'organise.",
    ),
    (
        "paragraph",
        "Sur les médias sociaux, la communication est permanente. L'entreprise ne la maîtrise d'ailleurs "
        "plus, puisqu'elle a lieu sur un espace public et partagé. La plus grande crainte des "
        "entreprises sur les médias sociaux est le bad buzz incontrôlable et irrécupérable. A une "
        "entreprise qui, pour cette raison, hésiterait à aller sur les médias sociaux, je lui réponds : "
        "les conversations ont lieu déjà, que vous soyez présente ou non. Mieux vaut être présent et "
        "participer à la conversation donc... CQFD.",
    ),
    (
        "paragraph",
        "Les médias sociaux induisent aussi des organisations adaptées. Dell implique ainsi des salariés "
        "de tous les départements, et pas seulement du département Communication pour intervenir et "
        "réagir sur les médias sociaux. Des chefs de produit vont par exemple ainsi devenir des "
        "interlocuteurs des internautes. Une coordination entre tous ces départements doit être mise en "
        "place, elle nécessite en première approche à l'aide d'une charte interne d'intervention sur les "
        "médias sociaux. Une coordination plus importante à l'aide d'une organisation matricielle "
        "devient nécessaire dans le cas d'une utilisation intense.",
    ),
    (
        "paragraph",
        "Toute organisation souhaitant intégrer ces outils dans sa stratégie globale doit avoir "
        "conscience que les médias sociaux impliquent des changements internes dans l'entreprise, tant "
        "au niveau de la manière de faire que dans l'organisation des équipes. Or, qui dit changement "
        "dit aussi résistance au changement. C'est une constante, elle est naturelle et pas forcément "
        "négative. Selon les cultures d'entreprise, elle est plus ou moins forte. Les médias sociaux "
        "sont spontanément connus dans la sphère de la vie privée. En revanche, l'intérêt des médias "
        "sociaux pour développer le business d'une entreprise peut sembler moins évident à première vue "
        "et susciter le scepticisme. LE virage des médias sociaux a clairement été pris par les "
        "entreprises américaines, il est moins sensible encore en France, mais la tendance est réelle. "
        "Les deux années 2010-2011 représentent peut-être la charnière das la reconnaissance des médias "
        "sociaux en tant que générateurs de business pour l'entreprise.",
    ),
    (
        "paragraph",
        "On peut faire un parallèle avec l'histoire d'Amazon, à l'époque une curiosité que McKinsey "
        "présentait en 1996 dans ses cas d'école comme une révolution en cours. Amazon a suscité la "
        "perplexité de plus d'une personne en 1996.... L'avenir nous dira si les médias sociaux sont une "
        "nouvelle révolution. Pour l'heure, il s'agit avant tout d'expliquer et de valoriser les médias "
        "sociaux au sein de l'entreprise, en un mot, évangéliser.",
    ),
]

SEED_004_TITLE = "La révolution ce n’est pas Facebook, c’est la digitalisation de l’entreprise"
SEED_004 = [
    (
        "paragraph",
        "Facebook est un accélérateur et un facteur de changement. Nous l’avons vu en début d’année lors "
        "des révolutions du printemps arabe. Mais il n’est qu’un facteur ; d’autres conditions de "
        "changements devant être réunies : culturelles, économiques, sociétales, sociologiques, "
        "logistiques. Réduire les révolutions arabes à Facebook est une erreur (on peut dire la même "
        "chose des émeutes plus récentes en Angleterre). Lire certains experts digitaux interpréter le "
        "monde et ses changements au travers de ce qu’il voit tous les jours (Internet et en "
        "l’occurrence Facebook) est une erreur. Nous aimons dire au sein The Persuaders que les "
        "changements, si je passe maintenant à une vision plus économique en lien avec l’entreprise, "
        "sont liés à 4 facteurs, séparés entre les facteurs internes et les facteurs externes.",
    ),
    ("heading", "L’enjeu Web pour les entreprises aujourd’hui : leur digitalisation"),
    (
        "paragraph",
        "La digitalisation en interne (je vous invite à découvrir le blog Entreprise20.fr) avec la "
        "montée en puissance du collaboratif digital, la digitalisation des processus vers l’externe "
        "pour aider l’entreprise à jouer son rôle «\xa0maternel\xa0» de s’occuper et de satisfaire ses "
        "clients (la notion de «\xa0maternel\xa0» renvoie ici à la notion d’entreprise paternaliste, "
        "avec la relation entre un employeur et ses salariés). La conjonction des deux amène aujourd’hui "
        "la notion de «\xa0Social Entreprise\xa0». Les publics d’une entreprise ne se limitent pas à des "
        "personnes différentes qui doivent être traitées comme telles par des départements différents. "
        "Il faut voir l’internaute sur toute la chaîne de valeur dans une approche 37,2°, centrée sur la "
        "personne vs une approche 360° centrée sur la promotion de la marque sur des médias / supports.",
    ),
    ("heading", "Comment s’y prendre ?"),
    (
        "paragraph",
        "La digitalisation est un grand mot et comme pour les démarches externes ne doit pas passer "
        "seulement par le déploiement d’outils plus collaboratifs et numériques. L’acculturation de "
        "grands groupes est longue mais des signes encourageants montrent que les choses avancent "
        "rapidement. Quand je vois Carlos Ghosn intervenir l’année dernière au Web10, quand je vois de "
        "plus en plus de top management d’entreprises dites «\xa0mortar\xa0» s’y intéresser, quand je "
        "vois les Ressources Humaines se poser la question d’une charte sur les médias sociaux, quand je "
        "vois des banques et des assurances reprendre dans leur publicité TV les codes d’Internet, ce "
        "sont autant de signes qui prouvent cette digitalisation.",
    ),
]


# Colleagues' own notes: what people write on an internal blog, each by someone of the
# department it speaks for (department slug, title, paragraphs, tags). Every text is used once.
COLLEAGUE_POSTS = [
    (
        "service-client",
        "Ce que trois mois de communauté qualité nous ont appris",
        [
            "Nous avons ouvert la communauté qualité avec une règle simple : toute question reçoit "
            "une réponse dans la journée, même si c'est « je ne sais pas, mais je cherche ».",
            "Résultat : la plupart des questions sont résolues sans réunion. Les irritants remontent "
            "plus vite, et les mêmes réponses ne s'écrivent plus dix fois par e-mail.",
        ],
        ["qualité", "communautés"],
    ),
    (
        "technologies",
        "Pourquoi je publie mes comptes rendus ici plutôt que par e-mail",
        [
            "Un e-mail reste dans dix boîtes ; un billet reste trouvable par tous, y compris par les "
            "personnes qui arriveront l'an prochain.",
            "Depuis que je publie mes comptes rendus sur mon blog, on me pose moins de questions en "
            "double et plus de questions de fond.",
        ],
        ["méthodes", "collaboration"],
    ),
    (
        "service-client",
        "Retour d'expérience : l'accueil des nouveaux au service client",
        [
            "Chaque nouvel arrivant passe désormais sa première semaine en binôme avec un conseiller "
            "d'un autre service. C'est la meilleure façon de comprendre nos clients.",
            "Vos idées pour améliorer ce parcours sont les bienvenues en commentaire.",
        ],
        ["accueil", "service client"],
    ),
    (
        "marketing-communication",
        "Cinq minutes pour présenter ce que votre équipe a livré",
        [
            "Chaque premier jeudi du mois, une équipe présente en cinq minutes ce qu'elle a livré. "
            "Pas de diapositives obligatoires, seulement ce qui a changé pour nos clients ou nos "
            "collègues.",
            "Qui se lance pour le mois prochain ?",
        ],
        ["partage"],
    ),
    (
        "service-client",
        "Nos indicateurs de satisfaction client, expliqués simplement",
        [
            "On me demande souvent d'où viennent les chiffres de satisfaction affichés en réunion. "
            "Voici, en clair, comment ils sont calculés et ce qu'ils ne disent pas.",
            "Le taux de réponse compte autant que la note : une note sans réponses ne mesure que les "
            "plus motivés.",
        ],
        ["indicateurs", "service client"],
    ),
    (
        "operations",
        "Le tableau de bord logistique est ouvert à tous",
        [
            "Le tableau de bord des délais de livraison est désormais consultable par tous les "
            "services. Plus besoin de demander une extraction.",
            "Si un indicateur vous semble faux, dites-le ici : c'est souvent ainsi qu'on trouve les "
            "vraies anomalies.",
        ],
        ["opérations", "données"],
    ),
    (
        "technologies",
        "Ce que j'ai appris en passant une journée avec les commerciaux",
        [
            "J'ai accompagné l'équipe ventes pendant une journée de rendez-vous clients. Nos outils "
            "internes leur font perdre presque une heure par jour.",
            "Trois pistes simples en sortent ; je les détaille dans la communauté du projet CRM.",
        ],
        ["ventes", "outils"],
    ),
    (
        "ventes",
        "Pourquoi nous avons arrêté la réunion du lundi",
        [
            "La réunion d'équipe du lundi durait une heure et servait surtout à lire des chiffres. "
            "Nous l'avons remplacée par un billet hebdomadaire et quinze minutes de questions.",
            "Deux mois plus tard, personne ne la regrette, et les questions sont meilleures.",
        ],
        ["méthodes"],
    ),
    (
        "ressources-humaines",
        "Formation : les supports de la session sur les données personnelles",
        [
            "Les supports de la session d'hier sont en ligne. La question la plus posée : peut-on "
            "partager un fichier client avec un prestataire ? Réponse courte : jamais sans l'accord "
            "du délégué à la protection des données.",
        ],
        ["formation", "conformité"],
    ),
    (
        "finance",
        "Une idée pour réduire nos impressions de moitié",
        [
            "Nous imprimons encore chaque bon de commande en trois exemplaires, alors que la "
            "signature électronique est disponible depuis six mois.",
            "Qui, dans les autres services, a déjà fait la bascule ? Je cherche des retours.",
        ],
        ["idées", "environnement"],
    ),
    (
        "finance",
        "Notes de frais : ce qui change le mois prochain",
        [
            "À partir du mois prochain, les notes de frais se déposent avec une simple photo du "
            "justificatif. Plus d'enveloppe à envoyer au siège.",
            "Les remboursements passent de trois semaines à dix jours. Vos questions ici, je "
            "réponds à toutes.",
        ],
        ["finance", "simplification"],
    ),
    (
        "finance",
        "Clôture mensuelle : pourquoi nous vous relançons le 25",
        [
            "Chaque mois, le 25, vous recevez une relance pour les factures non validées. Ce n'est "
            "pas du zèle : sans elles, la clôture prend deux jours de plus.",
            "Nous cherchons une façon moins pénible de faire. Si vous avez une idée, elle est "
            "bienvenue.",
        ],
        ["finance", "processus"],
    ),
    (
        "ressources-humaines",
        "Entretiens annuels : trois questions à préparer",
        [
            "La campagne d'entretiens commence bientôt. Trois questions font les meilleurs "
            "entretiens : qu'ai-je appris cette année, qu'est-ce qui m'a freiné, de quoi ai-je "
            "besoin ?",
            "Les managers ont reçu le même billet ; rien n'empêche d'en parler avant le jour J.",
        ],
        ["RH", "entretiens"],
    ),
    (
        "ressources-humaines",
        "Le parcours d'intégration, deuxième version",
        [
            "Vous avez été nombreux à répondre au questionnaire des nouveaux arrivants. Le premier "
            "jour était trop chargé, le premier mois trop vide.",
            "La nouvelle version étale les rendez-vous sur six semaines et ajoute un parrain d'un "
            "autre service.",
        ],
        ["intégration", "RH"],
    ),
    (
        "ressources-humaines",
        "Mobilité interne : comment postuler sans en parler à tout le monde",
        [
            "Postuler à un poste ouvert dans un autre service est confidentiel jusqu'à l'entretien. "
            "Votre manager n'est prévenu qu'à ce moment-là.",
            "Les postes ouverts sont publiés chaque lundi dans l'espace RH.",
        ],
        ["mobilité", "RH"],
    ),
    (
        "marketing-communication",
        "Ce que nous avons retenu du salon professionnel",
        [
            "Trois jours de stand, deux cents conversations. Ce que les visiteurs nous demandaient "
            "le plus : des délais fiables, pas des nouveautés.",
            "Le compte rendu complet est dans la communauté Clients d'abord.",
        ],
        ["salon", "marketing"],
    ),
    (
        "marketing-communication",
        "Modèles de présentation : où les trouver, et pourquoi les utiliser",
        [
            "Les modèles aux couleurs de l'entreprise sont dans l'espace documents, rubrique "
            "communication. Ils évitent de refaire la mise en page à chaque réunion client.",
            "Il en manque un ? Dites-moi lequel, je le prépare.",
        ],
        ["communication", "outils"],
    ),
    (
        "ventes",
        "Un client perdu, et ce qu'il nous a appris",
        [
            "Nous avons perdu un client important au printemps. En l'appelant, j'ai appris que ce "
            "n'était pas le prix : il attendait une réponse depuis trois semaines.",
            "Depuis, chaque demande client a un responsable nommé dans le CRM.",
        ],
        ["ventes", "retour d'expérience"],
    ),
    (
        "ventes",
        "Nos trois meilleures questions de découverte client",
        [
            "En comparant nos rendez-vous réussis, trois questions reviennent : qu'est-ce qui vous "
            "a fait nous appeler maintenant, qui d'autre décide, et comment saurez-vous que cela "
            "marche ?",
            "Ajoutez les vôtres en commentaire, je compile.",
        ],
        ["ventes", "méthodes"],
    ),
    (
        "service-client",
        "Une semaine au standard : ce que j'ai entendu",
        [
            "J'ai remplacé un collègue au standard pendant une semaine. La moitié des appels "
            "portaient sur le suivi de commande, une information que nos clients n'ont pas en "
            "ligne.",
            "J'en ai parlé à la DSI : un lien de suivi dans l'e-mail de confirmation réglerait une "
            "bonne partie du problème.",
        ],
        ["service client", "standard"],
    ),
    (
        "service-client",
        "Répondre en moins d'une heure : notre essai de juin",
        [
            "Pendant un mois, nous avons essayé de répondre à chaque message client en moins d'une "
            "heure. Nous y sommes arrivés dans huit cas sur dix.",
            "Ce qui a fait la différence : une réponse d'attente honnête plutôt qu'un silence.",
        ],
        ["service client", "délais"],
    ),
    (
        "technologies",
        "Pourquoi nous passons à l'authentification à deux facteurs",
        [
            "Le mois dernier, trois comptes ont été compromis par des mots de passe réutilisés. "
            "L'authentification à deux facteurs aurait arrêté les trois.",
            "La mise en place prend cinq minutes ; l'équipe support passe dans chaque service pour "
            "aider.",
        ],
        ["sécurité", "DSI"],
    ),
    (
        "technologies",
        "La migration de la messagerie, étape par étape",
        [
            "La messagerie change de serveur le mois prochain. Vos messages, votre agenda et vos "
            "contacts suivent ; seules les règles de tri sont à recréer.",
            "Le calendrier par service est en pièce jointe du fil dédié dans le club des "
            "développeurs.",
        ],
        ["messagerie", "DSI"],
    ),
    (
        "technologies",
        "Le catalogue des données internes est en ligne",
        [
            "Qui possède le fichier des tarifs ? D'où vient le chiffre d'affaires affiché en comité ? "
            "Le catalogue répond à ces questions pour nos cinquante jeux de données principaux.",
            "Chaque fiche nomme un responsable : c'est à lui qu'il faut signaler une erreur.",
        ],
        ["données", "DSI"],
    ),
    (
        "operations",
        "Sécurité sur le site : deux cents jours sans accident",
        [
            "Deux cents jours sans accident avec arrêt sur le site logistique. Ce n'est pas de la "
            "chance : ce sont les signalements de presque-accidents, qui ont triplé cette année.",
            "Continuez à signaler, même ce qui vous paraît anodin.",
        ],
        ["sécurité", "opérations"],
    ),
    (
        "operations",
        "Achats responsables : nos nouveaux critères",
        [
            "Dans nos appels d'offres, l'empreinte carbone du transport compte désormais pour un "
            "cinquième de la note.",
            "Deux fournisseurs locaux ont déjà été retenus grâce à ce critère.",
        ],
        ["achats", "RSE"],
    ),
    (
        "operations",
        "Maintenance préventive : ce que les capteurs ont changé",
        [
            "Depuis que les convoyeurs portent des capteurs de vibration, nous changeons les "
            "roulements avant qu'ils ne cassent. Les arrêts imprévus ont baissé de moitié.",
            "Prochaine étape : les quais de chargement.",
        ],
        ["maintenance", "opérations"],
    ),
    (
        "direction-generale",
        "Le plan stratégique tient sur une page",
        [
            "On m'a demandé de résumer le plan stratégique pour les nouveaux arrivants. Le voici en "
            "une page : trois marchés, deux chantiers internes, une ambition de service.",
            "Si une ligne ne vous parle pas, c'est qu'elle est mal écrite : dites-le-moi.",
        ],
        ["stratégie"],
    ),
    (
        "marketing-communication",
        "La lettre interne devient un blog",
        [
            "La lettre interne mensuelle s'arrête. Ses articles paraîtront ici, au fil de l'eau, "
            "et vous pourrez les commenter.",
            "Vous aviez des sujets à proposer ? Le plus simple est de les écrire vous-même.",
        ],
        ["communication interne"],
    ),
    (
        "ventes",
        "Le CRM côté terrain : premier bilan",
        [
            "Après deux mois de pilote, les commerciaux saisissent leurs rendez-vous en deux "
            "minutes au lieu de dix. La synchronisation hors ligne reste le point faible.",
            "Le détail est dans la communauté du projet CRM.",
        ],
        ["CRM", "ventes"],
    ),
]

# The executives' own posts beyond the seed texts, by role (ceo, marketing, hr, it, finance,
# operations) and day of the demo year (0 = a year ago). Each is written and published by
# the executive.
EXECUTIVE_POSTS = [
    (
        "ceo",
        95,
        "Nos résultats du trimestre, sans filtre",
        [
            "Le chiffre d'affaires progresse de 4 %, moins que prévu. Les ventes aux nouveaux "
            "clients compensent à peine la baisse chez nos clients historiques.",
            "Je préfère vous le dire ici plutôt que de vous laisser le lire entre les lignes d'une "
            "présentation. Vos questions sont bienvenues, je répondrai moi-même.",
        ],
        ["résultats", "direction"],
    ),
    (
        "it",
        200,
        "La DSI ouvre sa feuille de route",
        [
            "Notre feuille de route des dix-huit prochains mois est désormais publique en interne : "
            "ce que nous lançons, ce que nous arrêtons, et pourquoi.",
            "Un projet vous manque ? Dites-le en commentaire : nous la revoyons chaque trimestre.",
        ],
        ["DSI", "feuille de route"],
    ),
    (
        "ceo",
        255,
        "Ce que vos questions m'ont appris cet été",
        [
            "J'ai relu toutes les questions posées sous mes billets depuis le printemps. Trois "
            "thèmes dominent : la charge de travail, les outils, la visibilité sur nos choix.",
            "Je ne peux pas tout régler, mais je peux répondre à chacune. C'est fait, ou en cours.",
        ],
        ["écoute", "direction"],
    ),
    (
        "hr",
        296,
        "Le télétravail, un an après : ce que disent vos réponses",
        [
            "Vous êtes huit sur dix à vouloir garder deux jours de télétravail par semaine. Ceux "
            "qui le vivent mal sont surtout les nouveaux arrivants.",
            "Nous allons donc renforcer les journées sur site pendant les trois premiers mois, et "
            "garder la règle pour tous les autres.",
        ],
        ["télétravail", "RH"],
    ),
    (
        "ceo",
        300,
        "Trois priorités pour l'an prochain, à discuter ici",
        [
            "Avant de les présenter au conseil, je vous soumets nos trois priorités : fidéliser nos "
            "clients historiques, simplifier nos outils internes, ouvrir un second site logistique.",
            "Qu'est-ce qui manque ? Qu'est-ce qui vous paraît de trop ?",
        ],
        ["stratégie", "direction"],
    ),
    (
        "it",
        312,
        "Panne de messagerie de mardi : ce qui s'est passé",
        [
            "Mardi, la messagerie a été coupée pendant trois heures. La cause : une mise à jour de "
            "certificat oubliée. C'est notre erreur, et elle était évitable.",
            "Nous avons ajouté une alerte automatique trente jours avant chaque échéance.",
        ],
        ["DSI", "incident"],
    ),
    (
        "finance",
        325,
        "Le budget de l'an prochain expliqué en cinq chiffres",
        [
            "Cinq chiffres résument le budget : des ventes en hausse de 6 %, des frais généraux "
            "stables, deux millions pour le nouveau site, quinze recrutements, aucune baisse de la "
            "formation.",
            "Je détaillerai chacun dans les semaines qui viennent si vous le souhaitez.",
        ],
        ["budget", "finance"],
    ),
    (
        "marketing",
        332,
        "Pourquoi je réponds moi-même à vos commentaires",
        [
            "On m'a demandé pourquoi je ne confie pas mes réponses à mon équipe. Parce que vos "
            "questions me disent ce que nos clients vivent avant que les études ne le montrent.",
            "Il m'arrive de répondre le soir ou le lendemain, mais je réponds.",
        ],
        ["leadership", "marketing"],
    ),
    (
        "hr",
        337,
        "Ce que je demande aux managers pour les entretiens annuels",
        [
            "Cette année, je demande aux managers une seule chose : que chaque entretien se termine "
            "par un engagement écrit du manager, pas seulement de la personne.",
            "Vous pourrez le relire dans votre espace à tout moment.",
        ],
        ["entretiens", "RH"],
    ),
    (
        "operations",
        341,
        "Nos délais de livraison ont baissé de deux jours",
        [
            "En un an, le délai moyen de livraison est passé de cinq à trois jours. Le mérite en "
            "revient aux équipes de préparation, qui ont revu l'implantation de l'entrepôt.",
            "Je voulais le dire ici, où tout le monde peut le lire.",
        ],
        ["logistique", "opérations"],
    ),
    (
        "it",
        346,
        "Moins d'outils, mieux utilisés",
        [
            "Nous utilisons aujourd'hui quatre outils de partage de fichiers. L'an prochain, il "
            "n'en restera qu'un.",
            "Je sais que chaque outil a ses adeptes : dites-moi ce qui vous manquerait, nous en "
            "tiendrons compte avant de choisir.",
        ],
        ["DSI", "outils"],
    ),
    (
        "marketing",
        350,
        "La campagne d'automne, vue de l'intérieur",
        [
            "La campagne d'automne a été préparée par six services, pas seulement le marketing. "
            "Les idées les plus reprises venaient du service client.",
            "Merci à tous ceux qui ont relu, testé et critiqué les maquettes dans la communauté.",
        ],
        ["campagne", "marketing"],
    ),
    (
        "finance",
        353,
        "Pourquoi la direction financière publie désormais ici",
        [
            "Jusqu'ici, nos notes partaient par e-mail aux managers. Elles paraîtront désormais "
            "ici, pour tous.",
            "Une note de finance n'est pas un secret : c'est une explication, et elle gagne à être "
            "discutée.",
        ],
        ["finance", "transparence"],
    ),
    (
        "hr",
        357,
        "Qui veut devenir mentor ?",
        [
            "Le programme de mentorat inter-services cherche quinze mentors pour le début de "
            "l'année. Il suffit d'une heure par mois et d'un peu de curiosité.",
            "Inscrivez-vous dans la communauté Mentorat inter-services.",
        ],
        ["mentorat", "RH"],
    ),
    (
        "ceo",
        359,
        "Merci pour cette année sur Ruche",
        [
            "Il y a un an, presque personne n'écrivait ici. Aujourd'hui, près de la moitié d'entre "
            "vous participe chaque mois, dans tous les services.",
            "Ce n'est pas un outil qui a changé : c'est notre façon de nous parler. Merci.",
        ],
        ["direction", "bilan"],
    ),
    (
        "operations",
        361,
        "Ce que les équipes de nuit m'ont appris",
        [
            "J'ai passé deux nuits avec les équipes de préparation. Elles ont des idées précises "
            "sur l'éclairage, les pauses et l'ordre des commandes, que personne ne leur demandait.",
            "J'ouvre un fil dans la communauté Innovation participative pour les recueillir.",
        ],
        ["opérations", "écoute"],
    ),
]
