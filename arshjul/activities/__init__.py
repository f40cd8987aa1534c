"""Side effects of the workflows: store records, send mail, render documents."""

from arshjul.activities.rounds import RoundActivities, activities_for

__all__ = ["RoundActivities", "activities_for"]
