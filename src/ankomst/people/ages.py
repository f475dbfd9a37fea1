"""Ages that the law attaches consequences to, in one place for every app.

Plain values without Django, so that the engines (the allowance rules, bed allocation,
activation) read the same bound as the models and the forms.
"""

# Adult from the 18th birthday: the allowance engine's adult rates and residence contract
# (Udlændingeloven §§ 42 a, 42 c), "unaccompanied minor" in the centres, and activation.
ADULT_AGE = 18
