<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU" sourcelanguage="ru_RU">
<context>
    <name>Background</name>
    <message>
        <location filename="../../desk_app/ui/background_reports.py" line="43" />
        <source>Фоновая операция не удалась. Подробности в журнале.</source>
        <translation>Фоновая операция не удалась. Подробности в журнале.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/background_reports.py" line="47" />
        <source>Программа занята: действие не выполнено, повторите.</source>
        <translation>Программа занята: действие не выполнено, повторите.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/background_reports.py" line="53" />
        <source>Фоновый поток остановлен из-за ошибки. Сообщите администратору.</source>
        <translation>Фоновый поток остановлен из-за ошибки. Сообщите администратору.</translation>
    </message>
</context>
<context>
    <name>CameraPreview</name>
    <message>
        <location filename="../../desk_app/ui/camera_view.py" line="28" />
        <source>Камера: ожидание изображения…</source>
        <translation>Камера: ожидание изображения…</translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <location filename="../../desk_app/ui/app.py" line="84" />
        <source>Ошибка программы</source>
        <translation>Ошибка программы</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/app.py" line="89" />
        <source>В программе произошла ошибка. Работа продолжается; если окно ведёт себя странно — перезапустите программу. Подробности записаны в журнал для администратора.</source>
        <translation>В программе произошла ошибка. Работа продолжается; если окно ведёт себя странно — перезапустите программу. Подробности записаны в журнал для администратора.</translation>
    </message>
</context>
<context>
    <name>Desk</name>
    <message>
        <location filename="../../desk_app/ui/desk_view.py" line="28" />
        <source>Проверяем полис…</source>
        <translation>Проверяем полис…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/desk_view.py" line="116" />
        <source>Повторный приём записан с причиной.</source>
        <translation>Повторный приём записан с причиной.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/desk_view.py" line="118" />
        <source>Приём записан.</source>
        <translation>Приём записан.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/desk_view.py" line="135" />
        <source>Не записано: %1.</source>
        <translation>Не записано: %1.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/desk_view.py" line="143" />
        <source>Приём не записан</source>
        <translation>Приём не записан</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/desk_view.py" line="144" />
        <source>Приём не записан: </source>
        <translation>Приём не записан: </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/desk_view.py" line="29" />
        <source>Читаем файл…</source>
        <translation>Читаем файл…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/desk_view.py" line="30" />
        <source>Запрашиваем регистр…</source>
        <translation>Запрашиваем регистр…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/desk_view.py" line="31" />
        <source>Ищем полис в регистре…</source>
        <translation>Ищем полис в регистре…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="27" />
        <source>Сначала отсканируйте действительный полис.</source>
        <translation>Сначала отсканируйте действительный полис.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="28" />
        <source>По отклонённому полису приём не записывается.</source>
        <translation>По отклонённому полису приём не записывается.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="29" />
        <source>Выберите услугу из списка.</source>
        <translation>Выберите услугу из списка.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="30" />
        <source>Укажите врача.</source>
        <translation>Укажите врача.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="31" />
        <source>Проверка неполная: напишите, почему пациент принимается.</source>
        <translation>Проверка неполная: напишите, почему пациент принимается.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="32" />
        <source>Укажите причину (не короче 3 знаков).</source>
        <translation>Укажите причину (не короче 3 знаков).</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="35" />
        <source>Неверный PIN: действие доступно только старшему или администратору.</source>
        <translation>Неверный PIN: действие доступно только старшему или администратору.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="36" />
        <source>Недостаточно прав: нужен старший или администратор.</source>
        <translation>Недостаточно прав: нужен старший или администратор.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="37" />
        <source>Услуга уже записана сегодня.</source>
        <translation>Услуга уже записана сегодня.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="38" />
        <source>Запись уже идёт — подождите.</source>
        <translation>Запись уже идёт — подождите.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="41" />
        <source>Этот приём уже записан. Чтобы записать ещё один, выберите другую услугу или врача.</source>
        <translation>Этот приём уже записан. Чтобы записать ещё один, выберите другую услугу или врача.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="42" />
        <source>Приём уже отменён.</source>
        <translation>Приём уже отменён.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="47" />
        <location filename="../../desk_app/ui/wording.py" line="51" />
        <source>QR-код не найден — отсканируйте ещё раз</source>
        <translation>QR-код не найден — отсканируйте ещё раз</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="48" />
        <source>В файле не найден QR-код полиса, или файл не читается.</source>
        <translation>В файле не найден QR-код полиса, или файл не читается.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="56" />
        <source>Файл читается слишком долго: за отведённое время QR-код не найден. Откройте отдельно страницу или снимок с QR-кодом полиса.</source>
        <translation>Файл читается слишком долго: за отведённое время QR-код не найден. Откройте отдельно страницу или снимок с QR-кодом полиса.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="59" />
        <source>Не удалось проверить полис — отсканируйте ещё раз</source>
        <translation>Не удалось проверить полис — отсканируйте ещё раз</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="60" />
        <source>Внутренняя ошибка проверки. Если повторится — сообщите администратору.</source>
        <translation>Внутренняя ошибка проверки. Если повторится — сообщите администратору.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="63" />
        <source>Скан пропущен — отсканируйте ещё раз</source>
        <translation>Скан пропущен — отсканируйте ещё раз</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="64" />
        <source>Слишком много сканов подряд: этот скан не проверялся.</source>
        <translation>Слишком много сканов подряд: этот скан не проверялся.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="67" />
        <source>Код считан не полностью — отсканируйте ещё раз</source>
        <translation>Код считан не полностью — отсканируйте ещё раз</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="68" />
        <source>Сканер передал код не целиком. Поднесите полис ещё раз.</source>
        <translation>Сканер передал код не целиком. Поднесите полис ещё раз.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="71" />
        <source>Этот QR-код не читается клавиатурным сканером</source>
        <translation>Этот QR-код не читается клавиатурным сканером</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="76" />
        <source>В коде полный текст полиса с русскими буквами — сканер в режиме клавиатуры не может его передать. Покажите код камере или откройте файл с кодом: «Открыть файл с QR-кодом…» (Ctrl+O).</source>
        <translation>В коде полный текст полиса с русскими буквами — сканер в режиме клавиатуры не может его передать. Покажите код камере или откройте файл с кодом: «Открыть файл с QR-кодом…» (Ctrl+O).</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="79" />
        <source>Это не QR-код полиса — отсканируйте полис</source>
        <translation>Это не QR-код полиса — отсканируйте полис</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="80" />
        <source>Отсканирован код, который не является QR-кодом электронного полиса ОМС.</source>
        <translation>Отсканирован код, который не является QR-кодом электронного полиса ОМС.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="83" />
        <source>Проверка подписей недоступна</source>
        <translation>Проверка подписей недоступна</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="86" />
        <source>Не удалось загрузить корневой сертификат Казначейства. Обратитесь к администратору.</source>
        <translation>Не удалось загрузить корневой сертификат Казначейства. Обратитесь к администратору.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="89" />
        <source>Слишком много поисков по документу подряд</source>
        <translation>Слишком много поисков по документу подряд</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="94" />
        <source>Каждый поиск — запрос персональных данных, поэтому с одного рабочего места не больше 5 поисков в минуту. Номер полиса можно ввести вручную (F2).</source>
        <translation>Каждый поиск — запрос персональных данных, поэтому с одного рабочего места не больше 5 поисков в минуту. Номер полиса можно ввести вручную (F2).</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="111" />
        <source>Следующий поиск возможен через %1 с.</source>
        <translation>Следующий поиск возможен через %1 с.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="114" />
        <source>Файл «%1».</source>
        <translation>Файл «%1».</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="124" />
        <source>Первая запись: %1 в %2, стойка «%3», врач %4.</source>
        <translation>Первая запись: %1 в %2, стойка «%3», врач %4.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="134" />
        <source>Повторный приём записан с причиной</source>
        <translation>Повторный приём записан с причиной</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="136" />
        <source>Приём записан</source>
        <translation>Приём записан</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="139" />
        <source>Услуга %1, врач %2.</source>
        <translation>Услуга %1, врач %2.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="153" />
        <source>Врач</source>
        <translation>Врач</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="154" />
        <source>Имя стойки</source>
        <translation>Имя стойки</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="155" />
        <source>Причина</source>
        <translation>Причина</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="156" />
        <source>Причина повторной записи</source>
        <translation>Причина повторной записи</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="157" />
        <source>Причина отмены</source>
        <translation>Причина отмены</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="160" />
        <source>%1: служебный символ %2 — наберите обычный текст.</source>
        <translation>%1: служебный символ %2 — наберите обычный текст.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="161" />
        <source>%1: невидимый символ %2 — наберите обычный текст.</source>
        <translation>%1: невидимый символ %2 — наберите обычный текст.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="162" />
        <source>%1: слишком длинный текст (не больше 500 знаков).</source>
        <translation>%1: слишком длинный текст (не больше 500 знаков).</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="163" />
        <source>%1: не заполнено.</source>
        <translation>%1: не заполнено.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="169" />
        <source>Текст</source>
        <translation>Текст</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="170" />
        <source>%1: недопустимый текст.</source>
        <translation>%1: недопустимый текст.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="185" />
        <source>часовой пояс этой стойки (%1) не совпадает с часовым поясом клиники (%2) в базе приёмов: приёмы не записываются. Сообщите администратору.</source>
        <translation>часовой пояс этой стойки (%1) не совпадает с часовым поясом клиники (%2) в базе приёмов: приёмы не записываются. Сообщите администратору.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="190" />
        <source>запрос не принят: проверьте врача и причину.</source>
        <translation>запрос не принят: проверьте врача и причину.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="192" />
        <source>база недоступна. Сообщите администратору.</source>
        <translation>база недоступна. Сообщите администратору.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/wording.py" line="193" />
        <source>внутренняя ошибка. Сообщите администратору.</source>
        <translation>внутренняя ошибка. Сообщите администратору.</translation>
    </message>
</context>
<context>
    <name>DeskStatus</name>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="48" />
        <source>%1 мин</source>
        <translation>%1 мин</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="50" />
        <source>%1 ч</source>
        <translation>%1 ч</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="51" />
        <source>%1 дн</source>
        <translation>%1 дн</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="58" />
        <source>клавиатурный</source>
        <translation>клавиатурный</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="62" />
        <source>%1 остановлен из-за ошибки</source>
        <translation>%1 остановлен из-за ошибки</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="65" />
        <source>%1 подключён</source>
        <translation>%1 подключён</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="68" />
        <source>%1 не подключён</source>
        <translation>%1 не подключён</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="72" />
        <source>Сканер: выключен</source>
        <translation>Сканер: выключен</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="73" />
        <source>Сканер: %1</source>
        <translation>Сканер: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="80" />
        <source>клавиатура</source>
        <translation>клавиатура</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="81" />
        <source>USB-COM</source>
        <translation>USB-COM</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="82" />
        <source>камера</source>
        <translation>камера</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="83" />
        <source>файл</source>
        <translation>файл</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="89" />
        <source>%1 с</source>
        <translation>%1 с</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="97" />
        <source>, последний скан: %1</source>
        <translation>, последний скан: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="110" />
        <source>Сканов ещё не было.</source>
        <translation>Сканов ещё не было.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="110" />
        <source>Последний скан: %1.</source>
        <translation>Последний скан: %1.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="114" />
        <source>Сканер-клавиатура вводит код за %1.</source>
        <translation>Сканер-клавиатура вводит код за %1.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="121" />
        <source>Быстрее: переключите сканер в режим USB-COM (виртуальный COM-порт) — код придёт за доли секунды. Как это сделать — в руководстве по установке, раздел «Сканер в режиме USB-COM».</source>
        <translation>Быстрее: переключите сканер в режим USB-COM (виртуальный COM-порт) — код придёт за доли секунды. Как это сделать — в руководстве по установке, раздел «Сканер в режиме USB-COM».</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="127" />
        <source>Камера: подключение…</source>
        <translation>Камера: подключение…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="128" />
        <source>Камера: работает</source>
        <translation>Камера: работает</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="129" />
        <source>Камера: нет изображения — переподключение…</source>
        <translation>Камера: нет изображения — переподключение…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="130" />
        <source>Камера: видео закончилось</source>
        <translation>Камера: видео закончилось</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="131" />
        <source>Камера: выключена</source>
        <translation>Камера: выключена</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="132" />
        <source>Камера: остановлена из-за ошибки — перезапустите программу</source>
        <translation>Камера: остановлена из-за ошибки — перезапустите программу</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="138" />
        <source>Камера: нет</source>
        <translation>Камера: нет</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="140" />
        <source>Камера: недоступна</source>
        <translation>Камера: недоступна</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="149" />
        <source>Регистр: обновление копии остановлено из-за ошибки</source>
        <translation>Регистр: обновление копии остановлено из-за ошибки</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="151" />
        <source>, копия %1 назад</source>
        <translation>, копия %1 назад</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="154" />
        <source>, копии нет</source>
        <translation>, копии нет</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="156" />
        <source>Регистр: автономно</source>
        <translation>Регистр: автономно</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="158" />
        <source>Регистр: не настроен</source>
        <translation>Регистр: не настроен</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="160" />
        <source>Регистр: на связи</source>
        <translation>Регистр: на связи</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="162" />
        <source>Регистр: нет связи</source>
        <translation>Регистр: нет связи</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="164" />
        <source>Регистр: %1</source>
        <translation>Регистр: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="173" />
        <source>Сертификаты: корень не настроен</source>
        <translation>Сертификаты: корень не настроен</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="175" />
        <source>Сертификаты: ошибка</source>
        <translation>Сертификаты: ошибка</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="177" />
        <source>Сертификаты: загружаются…</source>
        <translation>Сертификаты: загружаются…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="180" />
        <source>Сертификаты: список пуст</source>
        <translation>Сертификаты: список пуст</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="181" />
        <source>Сертификаты: %1 назад</source>
        <translation>Сертификаты: %1 назад</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="186" />
        <source>, СОС нет</source>
        <translation>, СОС нет</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="188" />
        <source>, СОС устарел</source>
        <translation>, СОС устарел</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="190" />
        <source>, СОС до %1</source>
        <translation>, СОС до %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="196" />
        <source>База: %1 — ошибка</source>
        <translation>База: %1 — ошибка</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/probes.py" line="197" />
        <source>База: %1</source>
        <translation>База: %1</translation>
    </message>
</context>
<context>
    <name>IdentityPanel</name>
    <message>
        <location filename="../../desk_app/ui/identity_panel.py" line="28" />
        <source>Сверка с паспортом (для врача)</source>
        <translation>Сверка с паспортом (для врача)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/identity_panel.py" line="32" />
        <source>серия и номер, например 4510 123456</source>
        <translation>серия и номер, например 4510 123456</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/identity_panel.py" line="35" />
        <source>Сверить</source>
        <translation>Сверить</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/identity_panel.py" line="58" />
        <source>Сначала отсканируйте полис.</source>
        <translation>Сначала отсканируйте полис.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/identity_panel.py" line="68" />
        <source>Серия и номер паспорта — 10 цифр (4 + 6).</source>
        <translation>Серия и номер паспорта — 10 цифр (4 + 6).</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/identity_panel.py" line="72" />
        <source>Паспорт СОВПАДАЕТ с полисом</source>
        <translation>Паспорт СОВПАДАЕТ с полисом</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/identity_panel.py" line="73" />
        <source>Паспорт НЕ СОВПАДАЕТ с полисом — проверьте личность</source>
        <translation>Паспорт НЕ СОВПАДАЕТ с полисом — проверьте личность</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/identity_panel.py" line="74" />
        <source>Сверка невозможна: в полисе нет данных паспорта</source>
        <translation>Сверка невозможна: в полисе нет данных паспорта</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/identity_panel.py" line="75" />
        <source>Личность сверена: полис найден по документу, введённому с документа в руках</source>
        <translation>Личность сверена: полис найден по документу, введённому с документа в руках</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/identity_panel.py" line="77" />
        <source>Сверка невозможна</source>
        <translation>Сверка невозможна</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="85" />
        <source>Проверка полиса ОМС — регистратура</source>
        <translation>Проверка полиса ОМС — регистратура</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="34" />
        <source>ДЕМО — учебный режим: тестовые сертификаты и тестовый регистр. Не для приёма пациентов.</source>
        <translation>ДЕМО — учебный режим: тестовые сертификаты и тестовый регистр. Не для приёма пациентов.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="43" />
        <source>Корневой сертификат Казначейства не настроен: полисы не проверяются. Сообщите администратору!</source>
        <translation>Корневой сертификат Казначейства не настроен: полисы не проверяются. Сообщите администратору!</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="53" />
        <source>ВНИМАНИЕ: включён ТЕСТОВЫЙ корневой сертификат. Подписи не проверяются по-настоящему. Сообщите администратору!</source>
        <translation>ВНИМАНИЕ: включён ТЕСТОВЫЙ корневой сертификат. Подписи не проверяются по-настоящему. Сообщите администратору!</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="86" />
        <source>&amp;Полис</source>
        <translation>&amp;Полис</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="88" />
        <source>Открыть файл с QR-кодом…</source>
        <translation>Открыть файл с QR-кодом…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="91" />
        <source>Ввести номер вручную…</source>
        <translation>Ввести номер вручную…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="94" />
        <source>Поиск по документу…</source>
        <translation>Поиск по документу…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="96" />
        <source>Очистить экран (следующий пациент)</source>
        <translation>Очистить экран (следующий пациент)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="99" />
        <source>Записать приём</source>
        <translation>Записать приём</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="103" />
        <source>Выход</source>
        <translation>Выход</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="104" />
        <source>&amp;Сервис</source>
        <translation>&amp;Сервис</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="106" />
        <source>Настройки (администратор)…</source>
        <translation>Настройки (администратор)…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="108" />
        <source>Обновить состояние</source>
        <translation>Обновить состояние</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="110" />
        <source>Показать камеру</source>
        <translation>Показать камеру</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/window_chrome.py" line="114" />
        <source>&amp;Демо-сканирование</source>
        <translation>&amp;Демо-сканирование</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visit_actions.py" line="70" />
        <source>База приёмов недоступна: приёмы сейчас не записываются. Сообщите администратору.</source>
        <translation>База приёмов недоступна: приёмы сейчас не записываются. Сообщите администратору.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/scan_intake.py" line="58" />
        <source>Предыдущая проверка ещё идёт — скан поставлен в очередь.</source>
        <translation>Предыдущая проверка ещё идёт — скан поставлен в очередь.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="216" />
        <source>Окно «%1» закрыто без изменений: отсканирован новый полис.</source>
        <translation>Окно «%1» закрыто без изменений: отсканирован новый полис.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="249" />
        <source>Файл с QR-кодом полиса</source>
        <translation>Файл с QR-кодом полиса</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="250" />
        <source>Изображения, PDF и текст (*.png *.jpg *.jpeg *.bmp *.pdf *.txt);;Все файлы (*)</source>
        <translation>Изображения, PDF и текст (*.png *.jpg *.jpeg *.bmp *.pdf *.txt);;Все файлы (*)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visit_actions.py" line="90" />
        <source>Поиск по документу не записан в журнал аудита: база приёмов недоступна. Сообщите администратору.</source>
        <translation>Поиск по документу не записан в журнал аудита: база приёмов недоступна. Сообщите администратору.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visit_actions.py" line="116" />
        <location filename="../../desk_app/ui/visit_actions.py" line="187" />
        <location filename="../../desk_app/ui/visit_actions.py" line="202" />
        <source>Ошибка базы приёмов: </source>
        <translation>Ошибка базы приёмов: </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visit_actions.py" line="128" />
        <source>Повторная запись услуги</source>
        <translation>Повторная запись услуги</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visit_actions.py" line="131" />
        <source>Услуга уже записана сегодня. Повторная запись — только старшим, с причиной.</source>
        <translation>Услуга уже записана сегодня. Повторная запись — только старшим, с причиной.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visit_actions.py" line="138" />
        <source>Отмена приёма</source>
        <translation>Отмена приёма</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visit_actions.py" line="141" />
        <source>Отменить приём можно только старшему, с причиной. Запись останется в журнале.</source>
        <translation>Отменить приём можно только старшему, с причиной. Запись останется в журнале.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visit_actions.py" line="181" />
        <source>Приём отменён.</source>
        <translation>Приём отменён.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visit_actions.py" line="175" />
        <source>Приём не отменён: </source>
        <translation>Приём не отменён: </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_flow.py" line="26" />
        <source>Вход в настройки</source>
        <translation>Вход в настройки</translation>
    </message>
</context>
<context>
    <name>ManualEntryDialog</name>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="38" />
        <source>Ручной ввод полиса</source>
        <translation>Ручной ввод полиса</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="51" />
        <source>дд.мм.гггг — введите дату</source>
        <translation>дд.мм.гггг — введите дату</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="59" />
        <source>Без QR-кода подпись не проверяется: полис будет проверен только по регистру.</source>
        <translation>Без QR-кода подпись не проверяется: полис будет проверен только по регистру.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="63" />
        <source>Номер полиса (16 цифр):</source>
        <translation>Номер полиса (16 цифр):</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="64" />
        <source>Дата рождения:</source>
        <translation>Дата рождения:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="66" />
        <source>Проверить</source>
        <translation>Проверить</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="89" />
        <source>Введите 16 цифр номера полиса.</source>
        <translation>Введите 16 цифр номера полиса.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="91" />
        <source>Введено цифр: %1 из 16.</source>
        <translation>Введено цифр: %1 из 16.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="93" />
        <source>Ошибка в номере: не сходится контрольная цифра. Проверьте номер.</source>
        <translation>Ошибка в номере: не сходится контрольная цифра. Проверьте номер.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="95" />
        <source>Номер введён верно.</source>
        <translation>Номер введён верно.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="98" />
        <source>Номер введён верно. Введите дату рождения.</source>
        <translation>Номер введён верно. Введите дату рождения.</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="137" />
        <source>Слишком много неверных PIN. Следующая попытка через %1 с.</source>
        <translation>Слишком много неверных PIN. Следующая попытка через %1 с.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="162" />
        <source>Проверяем PIN…</source>
        <translation>Проверяем PIN…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="173" />
        <source>PIN не проверен — попробуйте ещё раз.</source>
        <translation>PIN не проверен — попробуйте ещё раз.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="209" />
        <source>PIN администратора:</source>
        <translation>PIN администратора:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="225" />
        <source>Неверный PIN.</source>
        <translation>Неверный PIN.</translation>
    </message>
</context>
<context>
    <name>PinNotSetDialog</name>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="303" />
        <source>PIN администратора</source>
        <translation>PIN администратора</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="309" />
        <source>PIN администратора на этом компьютере задан в старом, небезопасном виде и больше не принимается. Попросите ИТ-службу задать новый PIN.</source>
        <translation>PIN администратора на этом компьютере задан в старом, небезопасном виде и больше не принимается. Попросите ИТ-службу задать новый PIN.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="311" />
        <source>PIN администратора на этом компьютере не задан. Попросите ИТ-службу задать его.</source>
        <translation>PIN администратора на этом компьютере не задан. Попросите ИТ-службу задать его.</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="268" />
        <source>Причина:</source>
        <translation>Причина:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/dialogs.py" line="269" />
        <source>PIN старшего / администратора:</source>
        <translation>PIN старшего / администратора:</translation>
    </message>
</context>
<context>
    <name>RecordPanel</name>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="144" />
        <source>Запись приёма</source>
        <translation>Запись приёма</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="148" />
        <source>Врач (ФИО)</source>
        <translation>Врач (ФИО)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="153" />
        <source>Проверка неполная: почему принимаете (например, «паспорт проверен»)</source>
        <translation>Проверка неполная: почему принимаете (например, «паспорт проверен»)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="154" />
        <source>Записать приём  (Ctrl+Enter)</source>
        <translation>Записать приём  (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="166" />
        <source>Записать повторно (старший, с причиной)…</source>
        <translation>Записать повторно (старший, с причиной)…</translation>
    </message>
</context>
<context>
    <name>Search</name>
    <message>
        <location filename="../../desk_app/ui/search_dialog.py" line="35" />
        <source>Паспорт РФ</source>
        <translation>Паспорт РФ</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/search_dialog.py" line="36" />
        <source>Свидетельство о рождении</source>
        <translation>Свидетельство о рождении</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/search_dialog.py" line="37" />
        <source>СНИЛС</source>
        <translation>СНИЛС</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/search_dialog.py" line="41" />
        <source>IV-МЮ 654321</source>
        <translation>IV-МЮ 654321</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/search_dialog.py" line="55" />
        <source>Паспорт: 4 цифры серии и 6 цифр номера, например 4510 123456.</source>
        <translation>Паспорт: 4 цифры серии и 6 цифр номера, например 4510 123456.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/search_dialog.py" line="58" />
        <source>Серия свидетельства: римская цифра латинскими буквами (I, V, X, L, C), дефис и две русские заглавные буквы, например IV-МЮ.</source>
        <translation>Серия свидетельства: римская цифра латинскими буквами (I, V, X, L, C), дефис и две русские заглавные буквы, например IV-МЮ.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/search_dialog.py" line="60" />
        <source>Номер свидетельства: 6 цифр после серии, например IV-МЮ 654321.</source>
        <translation>Номер свидетельства: 6 цифр после серии, например IV-МЮ 654321.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/search_dialog.py" line="61" />
        <source>СНИЛС: 11 цифр, например 112-233-445 95.</source>
        <translation>СНИЛС: 11 цифр, например 112-233-445 95.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/search_dialog.py" line="63" />
        <source>Ошибка в СНИЛС: не сходится контрольное число (последние 2 цифры). Проверьте номер.</source>
        <translation>Ошибка в СНИЛС: не сходится контрольное число (последние 2 цифры). Проверьте номер.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/search_dialog.py" line="65" />
        <source>Дата рождения: настоящая дата в виде ДД.ММ.ГГГГ, например 14.03.1985.</source>
        <translation>Дата рождения: настоящая дата в виде ДД.ММ.ГГГГ, например 14.03.1985.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/search_dialog.py" line="66" />
        <source>Дата рождения не может быть позже сегодняшней.</source>
        <translation>Дата рождения не может быть позже сегодняшней.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/search_dialog.py" line="67" />
        <source>Дата рождения не может быть раньше 1900 года.</source>
        <translation>Дата рождения не может быть раньше 1900 года.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/search_dialog.py" line="88" />
        <source>Поиск по документу</source>
        <translation>Поиск по документу</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/search_dialog.py" line="92" />
        <source>Если у пациента нет полиса, найдите полис в регистре по документу: паспорту, свидетельству о рождении или СНИЛС. Нужна связь с регистром. Документ нигде не сохраняется.</source>
        <translation>Если у пациента нет полиса, найдите полис в регистре по документу: паспорту, свидетельству о рождении или СНИЛС. Нужна связь с регистром. Документ нигде не сохраняется.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/search_dialog.py" line="104" />
        <source>ДД.ММ.ГГГГ</source>
        <translation>ДД.ММ.ГГГГ</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/search_dialog.py" line="109" />
        <source>Документ:</source>
        <translation>Документ:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/search_dialog.py" line="110" />
        <source>Серия и номер:</source>
        <translation>Серия и номер:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/search_dialog.py" line="112" />
        <source>Дата рождения:</source>
        <translation>Дата рождения:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/search_dialog.py" line="116" />
        <source>Найти</source>
        <translation>Найти</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/search_dialog.py" line="189" />
        <source>Введено верно.</source>
        <translation>Введено верно.</translation>
    </message>
</context>
<context>
    <name>ServicePicker</name>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="58" />
        <source>Поиск услуги: код или часть названия</source>
        <translation>Поиск услуги: код или часть названия</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="44" />
        <source>Имя стойки</source>
        <translation>Имя стойки</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="45" />
        <source>укажите имя стойки (например, desk-1)</source>
        <translation>укажите имя стойки (например, desk-1)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="49" />
        <source>Адрес регистра</source>
        <translation>Адрес регистра</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="50" />
        <location filename="../../desk_app/ui/settings_dialog.py" line="56" />
        <source>нужен адрес https://… (http — только для 127.0.0.1)</source>
        <translation>нужен адрес https://… (http — только для 127.0.0.1)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="52" />
        <source>Ключ доступа к регистру</source>
        <translation>Ключ доступа к регистру</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="55" />
        <source>Адрес списка сертификатов Казначейства</source>
        <translation>Адрес списка сертификатов Казначейства</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="60" />
        <source>Файл корневого сертификата</source>
        <translation>Файл корневого сертификата</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="61" />
        <source>укажите путь к файлу .pem</source>
        <translation>укажите путь к файлу .pem</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="65" />
        <source>База приёмов</source>
        <translation>База приёмов</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="66" />
        <source>путь к файлу SQLite, sqlite:///ПУТЬ или postgresql://…</source>
        <translation>путь к файлу SQLite, sqlite:///ПУТЬ или postgresql://…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="68" />
        <source>Клавиатурный сканер</source>
        <translation>Клавиатурный сканер</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="69" />
        <source>Префикс сканера</source>
        <translation>Префикс сканера</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="70" />
        <source>Суффикс сканера</source>
        <translation>Суффикс сканера</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="73" />
        <source>Окончание скана</source>
        <translation>Окончание скана</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="74" />
        <source>enter или tab</source>
        <translation>enter или tab</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="76" />
        <source>COM-порт сканера</source>
        <translation>COM-порт сканера</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="79" />
        <source>Скорость COM-порта</source>
        <translation>Скорость COM-порта</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="80" />
        <source>число больше нуля</source>
        <translation>число больше нуля</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="84" />
        <source>Окончание скана на COM-порту</source>
        <translation>Окончание скана на COM-порту</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="85" />
        <source>cr, lf, crlf или tab</source>
        <translation>cr, lf, crlf или tab</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="87" />
        <source>Камера (номер или адрес)</source>
        <translation>Камера (номер или адрес)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="88" />
        <source>Звуки</source>
        <translation>Звуки</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="107" />
        <source>Настройки стойки (администратор)</source>
        <translation>Настройки стойки (администратор)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="119" />
        <source>Задано администратором для всего компьютера — здесь не меняется</source>
        <translation>Задано администратором для всего компьютера — здесь не меняется</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="121" />
        <source> (заблокировано)</source>
        <translation> (заблокировано)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="126" />
        <source>PIN администратора:</source>
        <translation>PIN администратора:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="294" />
        <source>PIN администратора задаёт ИТ-служба в общем файле настроек компьютера %1 (команда «desk-app admin set-pin», выполняется от имени администратора). В этом окне PIN не меняется.</source>
        <translation>PIN администратора задаёт ИТ-служба в общем файле настроек компьютера %1 (команда «desk-app admin set-pin», выполняется от имени администратора). В этом окне PIN не меняется.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="131" />
        <source>Файл настроек: %1</source>
        <translation>Файл настроек: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="139" />
        <source>Диагностика</source>
        <translation>Диагностика</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="142" />
        <source>Проверить настройки, сертификаты, регистр, базу, сканеры и диск</source>
        <translation>Проверить настройки, сертификаты, регистр, базу, сканеры и диск</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="211" />
        <source>Идёт проверка…</source>
        <translation>Идёт проверка…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="219" />
        <source>Диагностика не выполнена: %1</source>
        <translation>Диагностика не выполнена: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="223" />
        <source>Программа занята — нажмите «Диагностика» ещё раз.</source>
        <translation>Программа занята — нажмите «Диагностика» ещё раз.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="239" />
        <source>Не удалось сохранить файл настроек: %1</source>
        <translation>Не удалось сохранить файл настроек: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="243" />
        <source>Программа занята — нажмите «Сохранить» ещё раз.</source>
        <translation>Программа занята — нажмите «Сохранить» ещё раз.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="282" />
        <source>недопустимое значение</source>
        <translation>недопустимое значение</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="283" />
        <source>Поле «%1»: %2.</source>
        <translation>Поле «%1»: %2.</translation>
    </message>
</context>
<context>
    <name>TodayPanel</name>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="38" />
        <source>совпал</source>
        <translation>совпал</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="39" />
        <source>НЕ совпал</source>
        <translation>НЕ совпал</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="40" />
        <source>нет данных</source>
        <translation>нет данных</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="41" />
        <source>не сверялся</source>
        <translation>не сверялся</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="42" />
        <source>по документу</source>
        <translation>по документу</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="213" />
        <source>Время</source>
        <translation>Время</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="214" />
        <source>Пациент</source>
        <translation>Пациент</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="215" />
        <source>Полис</source>
        <translation>Полис</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="216" />
        <source>Услуга</source>
        <translation>Услуга</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="217" />
        <source>Врач</source>
        <translation>Врач</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="218" />
        <source>Паспорт</source>
        <translation>Паспорт</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="219" />
        <source>Отметки</source>
        <translation>Отметки</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="224" />
        <source>Приёмы сегодня на этой стойке</source>
        <translation>Приёмы сегодня на этой стойке</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="229" />
        <source>Поиск: фамилия, номер полиса, услуга, врач</source>
        <translation>Поиск: фамилия, номер полиса, услуга, врач</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="231" />
        <source>Отменить приём (старший)…</source>
        <translation>Отменить приём (старший)…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="268" />
        <source>повторно: </source>
        <translation>повторно: </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="270" />
        <source>ОТМЕНЁН: </source>
        <translation>ОТМЕНЁН: </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/visits_panel.py" line="272" />
        <source>с предупреждением</source>
        <translation>с предупреждением</translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="32" />
        <source>Подпись Федерального казначейства верна</source>
        <translation>Подпись Федерального казначейства верна</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="33" />
        <location filename="../../desk_app/ui/texts.py" line="115" />
        <source>Подпись недействительна — документ изменён</source>
        <translation>Подпись недействительна — документ изменён</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="36" />
        <source>Подпись сделана сертификатом, которому нет доверия (не Казначейство)</source>
        <translation>Подпись сделана сертификатом, которому нет доверия (не Казначейство)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="37" />
        <source>Сертификат подписи отозван Казначейством</source>
        <translation>Сертификат подписи отозван Казначейством</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="40" />
        <source>Сертификат подписи не действовал в момент выдачи полиса</source>
        <translation>Сертификат подписи не действовал в момент выдачи полиса</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="41" />
        <source>Подпись сделана неподдерживаемым алгоритмом</source>
        <translation>Подпись сделана неподдерживаемым алгоритмом</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="42" />
        <source>QR-код не является электронным полисом ОМС или повреждён</source>
        <translation>QR-код не является электронным полисом ОМС или повреждён</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="43" />
        <source>Номер введён вручную — подпись не проверялась</source>
        <translation>Номер введён вручную — подпись не проверялась</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="48" />
        <source>Полис действует по данным регистра</source>
        <translation>Полис действует по данным регистра</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="49" />
        <location filename="../../desk_app/ui/texts.py" line="88" />
        <source>Регистр: срок действия полиса истёк</source>
        <translation>Регистр: срок действия полиса истёк</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="50" />
        <location filename="../../desk_app/ui/texts.py" line="89" />
        <source>Регистр: действие полиса приостановлено</source>
        <translation>Регистр: действие полиса приостановлено</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="51" />
        <location filename="../../desk_app/ui/texts.py" line="90" />
        <source>Регистр: полис с таким номером не найден</source>
        <translation>Регистр: полис с таким номером не найден</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="52" />
        <source>Статус полиса в регистре не известен</source>
        <translation>Статус полиса в регистре не известен</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="56" />
        <source>регистр (на связи)</source>
        <translation>регистр (на связи)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="57" />
        <source>локальная копия регистра</source>
        <translation>локальная копия регистра</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="58" />
        <source>нет данных регистра</source>
        <translation>нет данных регистра</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="65" />
        <source>Список отозванных сертификатов устарел — отзыв подписи мог быть не учтён</source>
        <translation>Список отозванных сертификатов устарел — отзыв подписи мог быть не учтён</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="66" />
        <source>Нет списка отозванных сертификатов — отзыв подписи не проверен</source>
        <translation>Нет списка отозванных сертификатов — отзыв подписи не проверен</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="67" />
        <source>Локальная копия регистра старше суток</source>
        <translation>Локальная копия регистра старше суток</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="68" />
        <location filename="../../desk_app/ui/texts.py" line="189" />
        <source>Нет связи с регистром</source>
        <translation>Нет связи с регистром</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="69" />
        <source>Регистр не ответил вовремя</source>
        <translation>Регистр не ответил вовремя</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="70" />
        <source>Регистр сообщил о своей ошибке</source>
        <translation>Регистр сообщил о своей ошибке</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="71" />
        <source>Регистр временно ограничил число запросов</source>
        <translation>Регистр временно ограничил число запросов</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="74" />
        <source>Регистр отклонил ключ доступа клиники — сообщите администратору</source>
        <translation>Регистр отклонил ключ доступа клиники — сообщите администратору</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="75" />
        <source>Регистр прислал непонятный ответ</source>
        <translation>Регистр прислал непонятный ответ</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="76" />
        <source>Адрес регистра не настроен</source>
        <translation>Адрес регистра не настроен</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="79" />
        <source>Регистр недавно не отвечал — запрос пропущен, используется локальная копия</source>
        <translation>Регистр недавно не отвечал — запрос пропущен, используется локальная копия</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="80" />
        <source>Включён автономный режим — регистр не опрашивается</source>
        <translation>Включён автономный режим — регистр не опрашивается</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="81" />
        <source>Статус полиса проверить не удалось</source>
        <translation>Статус полиса проверить не удалось</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="82" />
        <source>Полис ещё не вступил в действие</source>
        <translation>Полис ещё не вступил в действие</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="83" />
        <source>Срок действия полиса закончился</source>
        <translation>Срок действия полиса закончился</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="84" />
        <source>Часы компьютера расходятся с часами регистра больше чем на 2 часа</source>
        <translation>Часы компьютера расходятся с часами регистра больше чем на 2 часа</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="87" />
        <source>Дата рождения не совпадает с данными регистра — возможно, чужой полис</source>
        <translation>Дата рождения не совпадает с данными регистра — возможно, чужой полис</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="91" />
        <source>Номер введён вручную: проверен только по регистру, без подписи</source>
        <translation>Номер введён вручную: проверен только по регистру, без подписи</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="96" />
        <source>Проверка невозможна: не настроен корневой сертификат Казначейства — полис не проверялся. Сообщите администратору</source>
        <translation>Проверка невозможна: не настроен корневой сертификат Казначейства — полис не проверялся. Сообщите администратору</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="99" />
        <source>Полис найден по документу: проверен только по регистру, подпись не проверялась</source>
        <translation>Полис найден по документу: проверен только по регистру, подпись не проверялась</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="104" />
        <source>по паспорту</source>
        <translation>по паспорту</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="105" />
        <source>по свидетельству о рождении</source>
        <translation>по свидетельству о рождении</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="106" />
        <source>по СНИЛС</source>
        <translation>по СНИЛС</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="110" />
        <source>постоянный</source>
        <translation>постоянный</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="111" />
        <source>временный</source>
        <translation>временный</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="116" />
        <source>Подпись не Казначейства — полис не принят</source>
        <translation>Подпись не Казначейства — полис не принят</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="117" />
        <source>Сертификат подписи отозван — полис не принят</source>
        <translation>Сертификат подписи отозван — полис не принят</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="120" />
        <source>Сертификат подписи не действовал при выдаче — полис не принят</source>
        <translation>Сертификат подписи не действовал при выдаче — полис не принят</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="121" />
        <source>Неподдерживаемый алгоритм подписи — полис не принят</source>
        <translation>Неподдерживаемый алгоритм подписи — полис не принят</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="122" />
        <source>Это не электронный полис ОМС или QR-код повреждён</source>
        <translation>Это не электронный полис ОМС или QR-код повреждён</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="154" />
        <source>Другая причина: %1</source>
        <translation>Другая причина: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="166" />
        <source>Дата рождения не совпадает с регистром — полис не принят</source>
        <translation>Дата рождения не совпадает с регистром — полис не принят</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="168" />
        <source>Срок действия истёк %1</source>
        <translation>Срок действия истёк %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="172" />
        <source>Срок действия полиса истёк</source>
        <translation>Срок действия полиса истёк</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="173" />
        <source>Полис ещё не действует — начало %1</source>
        <translation>Полис ещё не действует — начало %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="178" />
        <source>Действие полиса приостановлено</source>
        <translation>Действие полиса приостановлено</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="180" />
        <source>Полис не найден в регистре</source>
        <translation>Полис не найден в регистре</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="181" />
        <source>Полис не принят</source>
        <translation>Полис не принят</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="184" />
        <source>Проверка невозможна: не настроен корневой сертификат</source>
        <translation>Проверка невозможна: не настроен корневой сертификат</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="187" />
        <source>Автономный режим</source>
        <translation>Автономный режим</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="192" />
        <source>%1 — статус по данным от %2</source>
        <translation>%1 — статус по данным от %2</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="197" />
        <source>Нет связи с регистром — статус не проверен</source>
        <translation>Нет связи с регистром — статус не проверен</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="199" />
        <source>Статус полиса не проверен — решите вручную</source>
        <translation>Статус полиса не проверен — решите вручную</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="201" />
        <source>Нет списка отозванных сертификатов — решите вручную</source>
        <translation>Нет списка отозванных сертификатов — решите вручную</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="203" />
        <source>Список отзыва сертификатов устарел — решите вручную</source>
        <translation>Список отзыва сертификатов устарел — решите вручную</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="205" />
        <source>Часы компьютера неверны — проверьте дату и время</source>
        <translation>Часы компьютера неверны — проверьте дату и время</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="206" />
        <source>Нужно решение сотрудника</source>
        <translation>Нужно решение сотрудника</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="208" />
        <source>Полис действителен (номер введён вручную)</source>
        <translation>Полис действителен (номер введён вручную)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="211" />
        <source>Полис действителен</source>
        <translation>Полис действителен</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="221" />
        <source>Не найден в регистре %1</source>
        <translation>Не найден в регистре %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="227" />
        <source>Регистр просит подождать: повторите поиск через %1 с</source>
        <translation>Регистр просит подождать: повторите поиск через %1 с</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="229" />
        <source>Поиск по документу невозможен: нет связи с регистром</source>
        <translation>Поиск по документу невозможен: нет связи с регистром</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="230" />
        <source>Полис действителен — найден в регистре %1</source>
        <translation>Полис действителен — найден в регистре %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="240" />
        <source>Документ и дата рождения не подходят ни к одному застрахованному. Проверьте их и повторите поиск (F3) или отсканируйте QR-код полиса.</source>
        <translation>Документ и дата рождения не подходят ни к одному застрахованному. Проверьте их и повторите поиск (F3) или отсканируйте QR-код полиса.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="245" />
        <source>Поиск по документу делается только в регистре. Введите номер полиса вручную (F2) или отсканируйте QR-код полиса.</source>
        <translation>Поиск по документу делается только в регистре. Введите номер полиса вручную (F2) или отсканируйте QR-код полиса.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="253" />
        <source>Найден в регистре %1 — подпись не проверялась</source>
        <translation>Найден в регистре %1 — подпись не проверялась</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="255" />
        <source>Поиск %1 — полиса в руках нет, подпись не проверялась</source>
        <translation>Поиск %1 — полиса в руках нет, подпись не проверялась</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="260" />
        <source>Можно принимать пациента</source>
        <translation>Можно принимать пациента</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="261" />
        <source>Проверить не удалось полностью — решение за сотрудником</source>
        <translation>Проверить не удалось полностью — решение за сотрудником</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="262" />
        <source>Не принимать по этому полису</source>
        <translation>Не принимать по этому полису</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="272" />
        <source>ФИО не указано</source>
        <translation>ФИО не указано</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="281" />
        <source>с %1, бессрочно</source>
        <translation>с %1, бессрочно</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/texts.py" line="284" />
        <source>с %1 по %2</source>
        <translation>с %1 по %2</translation>
    </message>
</context>
<context>
    <name>VerdictPanel</name>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="85" />
        <source>Дата рождения</source>
        <translation>Дата рождения</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="86" />
        <source>Номер полиса</source>
        <translation>Номер полиса</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="87" />
        <source>Страховая компания</source>
        <translation>Страховая компания</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="88" />
        <source>Срок действия</source>
        <translation>Срок действия</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="89" />
        <source>Вид полиса, регион</source>
        <translation>Вид полиса, регион</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="90" />
        <source>Статус</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="109" />
        <source>Причины и проверки:</source>
        <translation>Причины и проверки:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="171" />
        <source>Готово к сканированию</source>
        <translation>Готово к сканированию</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="175" />
        <source>Поднесите QR-код полиса к сканеру. Ручной ввод номера — F2, поиск по документу — F3, файл — Ctrl+O.</source>
        <translation>Поднесите QR-код полиса к сканеру. Ручной ввод номера — F2, поиск по документу — F3, файл — Ctrl+O.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="183" />
        <source>Подождите, идёт проверка…</source>
        <translation>Подождите, идёт проверка…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="191" />
        <source>Читаю QR-код…</source>
        <translation>Читаю QR-код…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="193" />
        <source>Прочитано знаков: %1. Держите полис у сканера до сигнала.</source>
        <translation>Прочитано знаков: %1. Держите полис у сканера до сигнала.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="227" />
        <source>ВВЕДЕНО ВРУЧНУЮ — проверено только по регистру, подпись не проверялась</source>
        <translation>ВВЕДЕНО ВРУЧНУЮ — проверено только по регистру, подпись не проверялась</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/verdict_panel.py" line="235" />
        <source>(код %1)</source>
        <translation>(код %1)</translation>
    </message>
</context>
</TS>
