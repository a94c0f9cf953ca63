def test_home_redirects_anonymous_people_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_every_persona_reaches_their_home_page(personas, client_for):
    for name, user in personas.all().items():
        response = client_for(user).get("/")
        assert response.status_code == 200, name
