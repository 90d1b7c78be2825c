"""What the resources of the API share."""

from rest_framework import serializers


class OrganisationRefSerializer(serializers.Serializer):
    """An organisation named where it appears; ``/api/v1/organisations/{id}/`` says more."""

    id = serializers.IntegerField(read_only=True)
    nom = serializers.CharField(source="name", read_only=True)
