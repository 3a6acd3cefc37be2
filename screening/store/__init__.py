"""The working group's workspace (floor 8): one SQLite file of saved rounds, the departments' opinions,
the meeting's decisions and the accounts — docs/workspace.md.

``workspace`` opens and checks the file; ``database`` is the only module that talks to SQLite (and
``migrations`` its schema); ``uploads`` keeps input files by hash under a cap and a retention period;
``rounds`` saves, lists and reopens rounds (``snapshot`` freezes what they decided); ``compare`` says
who entered and who left and why; ``opinions`` and ``meeting`` hold the opinions, the pack and the
final decisions; ``access`` the accounts and who may write what.
"""
