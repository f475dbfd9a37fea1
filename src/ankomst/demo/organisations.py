"""The names of the demo organisations, read by every part of the demo."""

AGENCY = "Udlændingestyrelsen (demo)"
OPERATOR = "Asylafdelingen Vesthimmerland (demo)"
MUNICIPALITY = "Aalborg Kommune (demo)"
OTHER_MUNICIPALITY = "Randers Kommune (demo)"
CHILDREN_OPERATOR = "Røde Kors Asyl (demo)"
VOLUNTEERS = "Venligboerne Aalborg (demo)"
